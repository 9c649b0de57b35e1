/* drops_event: what the drop tracer's BPF programs and their loader share: sides, event kinds, one event. */
#ifndef TL_DROPS_EVENT_H
#define TL_DROPS_EVENT_H

/* Sides as the BPF programs number them (the order of the netns inodes given before load). */
#define DROPS_SIDE_SERVER 0
#define DROPS_SIDE_CLIENT 1
#define DROPS_SIDES 2

/* Drop reasons counted per side: enum skb_drop_reason values up to this; a larger one lands in the last slot. */
#define DROPS_REASON_SLOTS 512

/* Events recorded in the ring buffer at most; later ones are counted as lost. */
#define DROPS_MAX_EVENTS 100000

/* What an event is. */
#define DROPS_EV_DROP 0            /* skb:kfree_skb with a drop reason */
#define DROPS_EV_SYNACK_RETRANS 1  /* tcp:tcp_retransmit_synack */
#define DROPS_EV_RESET_SENT 2      /* tcp:tcp_send_reset */
#define DROPS_EV_RESET_RECEIVED 3  /* tcp:tcp_receive_reset */
#define DROPS_EV_KINDS 4

/* One event: addresses in network byte order, ports in host order; 0 where the headers gave none. For a drop,
 * the dropped packet's addresses; for a reset sent or a SYN-ACK, the packet the side sent; for a reset
 * received, the packet received. */
struct drops_event {
	__u64 time_ns; /* bpf_ktime_get_ns (CLOCK_MONOTONIC) */
	__u32 reason;  /* skb_drop_reason for a drop, sk_rst_reason for a reset sent, 0 otherwise */
	__u8 side;
	__u8 kind;
	__u16 sport;
	__u32 saddr;
	__u32 daddr;
	__u16 dport;
	__u8 tcp_flags; /* the TCP header's flags byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10) */
	__u8 pad;
};

#endif
