// SPDX-License-Identifier: GPL-2.0
/* drops.bpf: count the packets the kernel drops, by reason, and its SYN-ACK retransmissions and resets, in the
 * lab's two network namespaces only (raw tracepoints, CO-RE). */
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "drops_event.h"

char LICENSE[] SEC("license") = "GPL";

/* The lab's namespaces (inode numbers of /proc/PID/ns/net), set by the loader before load. */
const volatile __u32 server_netns_ino = 0;
const volatile __u32 client_netns_ino = 0;

/* Drops per (side, reason): key side * DROPS_REASON_SLOTS + reason. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DROPS_SIDES * DROPS_REASON_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} drop_counts SEC(".maps");

/* SYN-ACK retransmissions and resets per (side, kind): key side * DROPS_EV_KINDS + kind. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DROPS_SIDES * DROPS_EV_KINDS);
	__type(key, __u32);
	__type(value, __u64);
} event_counts SEC(".maps");

/* The events themselves: 8 MiB holds DROPS_MAX_EVENTS of them with their headers, read once the run ends. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} events SEC(".maps");

/* Events recorded and events not recorded (the bound reached, or the ring buffer full). */
__u64 events_recorded = 0;
__u64 events_lost = 0;

/* Which lab side a namespace is, -1 for any other namespace of the machine. */
static __always_inline int side_of_net(struct net *net)
{
	__u32 ino;

	if (net == NULL)
		return -1;
	ino = BPF_CORE_READ(net, ns.inum);
	if (ino != 0 && ino == server_netns_ino)
		return DROPS_SIDE_SERVER;
	if (ino != 0 && ino == client_netns_ino)
		return DROPS_SIDE_CLIENT;
	return -1;
}

static __always_inline int side_of_sock(const struct sock *sk)
{
	if (sk == NULL)
		return -1;
	return side_of_net(BPF_CORE_READ(sk, __sk_common.skc_net.net));
}

/* The skb's namespace: its device's, else its socket's. */
static __always_inline int side_of_skb(const struct sk_buff *skb)
{
	struct net_device *dev;

	if (skb == NULL)
		return -1;
	dev = BPF_CORE_READ(skb, dev);
	if (dev != NULL)
		return side_of_net(BPF_CORE_READ(dev, nd_net.net));
	return side_of_sock(BPF_CORE_READ(skb, sk));
}

/* The IPv4 addresses and TCP ports of the skb's headers; nothing when it is not IPv4 or has no headers. */
static __always_inline void tuple_of_skb(const struct sk_buff *skb, struct drops_event *e)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 nh = BPF_CORE_READ(skb, network_header);
	__u16 th = BPF_CORE_READ(skb, transport_header);
	struct iphdr ip;
	struct tcphdr tcp;

	if (head == NULL || nh == (__u16)~0U || bpf_probe_read_kernel(&ip, sizeof(ip), head + nh) != 0 ||
	    ip.version != 4)
		return;
	e->saddr = ip.saddr;
	e->daddr = ip.daddr;
	if (ip.protocol != IPPROTO_TCP)
		return;
	/* The transport header may not be set yet (a drop before IP handed the packet on): take it after IP's. */
	if (th == (__u16)~0U || th <= nh)
		th = nh + ip.ihl * 4;
	if (bpf_probe_read_kernel(&tcp, sizeof(tcp), head + th) != 0)
		return;
	e->sport = bpf_ntohs(tcp.source);
	e->dport = bpf_ntohs(tcp.dest);
	e->tcp_flags = ((const __u8 *)&tcp)[13];
}

/* The socket's own addresses, as a packet it sends carries them. */
static __always_inline void tuple_of_sock(const struct sock_common *sk, struct drops_event *e)
{
	e->saddr = BPF_CORE_READ(sk, skc_rcv_saddr);
	e->daddr = BPF_CORE_READ(sk, skc_daddr);
	e->sport = BPF_CORE_READ(sk, skc_num);
	e->dport = bpf_ntohs(BPF_CORE_READ(sk, skc_dport));
}

static __always_inline void count(void *map, __u32 key)
{
	__u64 *n = bpf_map_lookup_elem(map, &key);

	if (n != NULL)
		__sync_fetch_and_add(n, 1);
}

/* A place for one more event, or NULL (counted lost) once the bound is reached or the buffer is full. */
static __always_inline struct drops_event *reserve(int side, int kind, __u32 reason)
{
	struct drops_event *e;

	if (__sync_fetch_and_add(&events_recorded, 1) >= DROPS_MAX_EVENTS) {
		__sync_fetch_and_add(&events_lost, 1);
		return NULL;
	}
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e == NULL) {
		__sync_fetch_and_add(&events_lost, 1);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->time_ns = bpf_ktime_get_ns();
	e->side = (__u8)side;
	e->kind = (__u8)kind;
	e->reason = reason;
	return e;
}

/* skb:kfree_skb(skb, location, reason, rx_sk): a packet freed as dropped. */
SEC("raw_tp/kfree_skb")
int BPF_PROG(tcplab_kfree, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	int side = side_of_skb(skb);
	__u32 slot = reason;
	struct drops_event *e;

	/* SKB_CONSUMED is not a drop (consume_skb has its own tracepoint; older kernels also passed it here). */
	if (side < 0 || reason == SKB_CONSUMED)
		return 0;
	if (slot >= DROPS_REASON_SLOTS)
		slot = DROPS_REASON_SLOTS - 1;
	count(&drop_counts, side * DROPS_REASON_SLOTS + slot);
	e = reserve(side, DROPS_EV_DROP, reason);
	if (e == NULL)
		return 0;
	tuple_of_skb(skb, e);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* tcp:tcp_retransmit_synack(sk, req): a listener sent a SYN-ACK again. */
SEC("raw_tp/tcp_retransmit_synack")
int BPF_PROG(tcplab_synack, const struct sock *sk, const struct request_sock *req)
{
	int side = side_of_sock(sk);
	struct drops_event *e;

	if (side < 0)
		return 0;
	count(&event_counts, side * DROPS_EV_KINDS + DROPS_EV_SYNACK_RETRANS);
	e = reserve(side, DROPS_EV_SYNACK_RETRANS, 0);
	if (e == NULL)
		return 0;
	tuple_of_sock(&req->__req_common, e);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* tcp:tcp_send_reset(sk, skb, reason): a RST sent, for skb (the packet answered) or by sk on its own. */
SEC("raw_tp/tcp_send_reset")
int BPF_PROG(tcplab_rst_out, const struct sock *sk, const struct sk_buff *skb, enum sk_rst_reason reason)
{
	int side = skb != NULL ? side_of_skb(skb) : -1;
	struct drops_event *e;

	if (side < 0)
		side = side_of_sock(sk);
	if (side < 0)
		return 0;
	count(&event_counts, side * DROPS_EV_KINDS + DROPS_EV_RESET_SENT);
	e = reserve(side, DROPS_EV_RESET_SENT, reason);
	if (e == NULL)
		return 0;
	if (skb != NULL) {
		struct drops_event in = {};

		/* The RST goes back the way the packet it answers came. */
		tuple_of_skb(skb, &in);
		e->saddr = in.daddr;
		e->daddr = in.saddr;
		e->sport = in.dport;
		e->dport = in.sport;
		e->tcp_flags = 0x04;
	} else if (sk != NULL) {
		tuple_of_sock(&sk->__sk_common, e);
	}
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* tcp:tcp_receive_reset(sk): a socket was reset by its peer. */
SEC("raw_tp/tcp_receive_reset")
int BPF_PROG(tcplab_rst_in, struct sock *sk)
{
	int side = side_of_sock(sk);
	struct drops_event *e;
	struct drops_event local = {};

	if (side < 0)
		return 0;
	count(&event_counts, side * DROPS_EV_KINDS + DROPS_EV_RESET_RECEIVED);
	e = reserve(side, DROPS_EV_RESET_RECEIVED, 0);
	if (e == NULL)
		return 0;
	/* The RST came from the peer: its source is the socket's remote end. */
	tuple_of_sock(&sk->__sk_common, &local);
	e->saddr = local.daddr;
	e->daddr = local.saddr;
	e->sport = local.dport;
	e->dport = local.sport;
	bpf_ringbuf_submit(e, 0);
	return 0;
}
