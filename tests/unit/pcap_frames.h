/* pcap_frames: writing pcap files of crafted IPv4 TCP frames (libpcap's pcap_open_dead + pcap_dump), any link type. */
#ifndef TL_PCAP_FRAMES_H
#define TL_PCAP_FRAMES_H

#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <string.h>

/* The headers of one frame and the part of its payload that is kept: enough for any link type and snaplen. */
#define PF_FRAME_MAX 256

/* An open capture file being written. */
struct pf_writer {
	pcap_t *dead;
	pcap_dumper_t *dumper;
	int linktype;
	int vlan_tags;     /* 802.1Q tags in Ethernet and Linux cooked frames */
	uint32_t snaplen;  /* bytes kept of each frame */
	int nano;          /* timestamps written in nanoseconds */
};

/* Open path for writing frames of linktype (DLT_*); 0, or -1. */
static inline int pf_open(struct pf_writer *w, const char *path, int linktype, uint32_t snaplen)
{
	memset(w, 0, sizeof(*w));
	w->linktype = linktype;
	w->snaplen = snaplen;
	w->dead = pcap_open_dead(linktype, (int)snaplen);
	if (w->dead == NULL)
		return -1;
	w->dumper = pcap_dump_open(w->dead, path);
	return w->dumper == NULL ? -1 : 0;
}

/* The same with nanosecond timestamps in the file. */
static inline int pf_open_nano(struct pf_writer *w, const char *path, int linktype, uint32_t snaplen)
{
	memset(w, 0, sizeof(*w));
	w->linktype = linktype;
	w->snaplen = snaplen;
	w->nano = 1;
	w->dead = pcap_open_dead_with_tstamp_precision(linktype, (int)snaplen, PCAP_TSTAMP_PRECISION_NANO);
	if (w->dead == NULL)
		return -1;
	w->dumper = pcap_dump_open(w->dead, path);
	return w->dumper == NULL ? -1 : 0;
}

static inline void pf_close(struct pf_writer *w)
{
	if (w->dumper != NULL)
		pcap_dump_close(w->dumper);
	if (w->dead != NULL)
		pcap_close(w->dead);
	memset(w, 0, sizeof(*w));
}

/* Write caplen bytes of a frame that had wire_len bytes on the wire, at t_us. */
static inline void pf_raw(struct pf_writer *w, int64_t t_us, const uint8_t *bytes, uint32_t caplen, uint32_t wire_len)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(t_us / 1000000);
	/* A nanosecond file takes the sub-second part in nanoseconds. */
	h.ts.tv_usec = (suseconds_t)(t_us % 1000000) * (w->nano ? 1000 : 1);
	h.caplen = caplen;
	h.len = wire_len;
	pcap_dump((u_char *)w->dumper, &h, bytes);
}

static inline void pf_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void pf_put32(uint8_t *p, uint32_t v)
{
	pf_put16(p, (uint16_t)(v >> 16));
	pf_put16(p + 2, (uint16_t)v);
}

/* The link-layer header for an IPv4 packet (ethertype 0x0800, after vlan_tags tags) into buf; its length. */
static inline uint32_t pf_link_header(const struct pf_writer *w, uint8_t *buf, uint16_t ethertype)
{
	uint32_t n = 0;
	uint32_t type_at;

	switch (w->linktype) {
	case DLT_EN10MB:
		memset(buf, 0, 12);
		buf[0] = 0x02; /* locally administered MACs */
		buf[6] = 0x02;
		buf[11] = 1;
		type_at = 12;
		n = 14;
		break;
	case DLT_LINUX_SLL:
		memset(buf, 0, 16);
		pf_put16(buf + 2, 1);  /* ARPHRD_ETHER */
		pf_put16(buf + 4, 6);  /* address length */
		type_at = 14;
		n = 16;
		break;
	case DLT_LINUX_SLL2:
		memset(buf, 0, 20);
		pf_put32(buf + 4, 2);  /* interface index */
		pf_put16(buf + 8, 1);  /* ARPHRD_ETHER */
		buf[11] = 6;           /* address length */
		type_at = 0;
		n = 20;
		break;
	default: /* DLT_RAW, DLT_IPV4: the IP header comes first */
		return 0;
	}
	for (int i = 0; i < w->vlan_tags; i++) {
		pf_put16(buf + type_at, 0x8100);
		pf_put16(buf + n, (uint16_t)(100 + i)); /* TCI */
		type_at = n + 2;
		n += 4;
	}
	pf_put16(buf + type_at, ethertype);
	return n;
}

/* One TCP segment (addresses as text, ports in host order) with payload_bytes of payload, written at t_us. */
static inline void pf_tcp(struct pf_writer *w, int64_t t_us, const char *src, uint16_t sport, const char *dst,
			  uint16_t dport, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t payload_bytes)
{
	uint8_t f[PF_FRAME_MAX + 64];
	uint32_t l2 = pf_link_header(w, f, 0x0800);
	uint8_t *ip = f + l2;
	uint8_t *tcp = ip + 20;
	uint32_t total = 20 + 20 + payload_bytes;
	uint32_t wire_len = l2 + total;
	uint32_t caplen = wire_len < w->snaplen ? wire_len : w->snaplen;

	memset(ip, 0, sizeof(f) - l2);
	ip[0] = 0x45;
	pf_put16(ip + 2, (uint16_t)total);
	pf_put16(ip + 6, 0x4000); /* DF */
	ip[8] = 64;
	ip[9] = 6;
	inet_pton(AF_INET, src, ip + 12);
	inet_pton(AF_INET, dst, ip + 16);
	pf_put16(tcp, sport);
	pf_put16(tcp + 2, dport);
	pf_put32(tcp + 4, seq);
	pf_put32(tcp + 8, ack);
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	pf_put16(tcp + 14, 64240);
	if (caplen > PF_FRAME_MAX)
		caplen = PF_FRAME_MAX;
	pf_raw(w, t_us, f, caplen, wire_len);
}

#endif
