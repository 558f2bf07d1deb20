/* pkt_tcpdump_test.c: tcpdump's own lines as packets (harness/pkt/pkt_tcpdump.c). The
 * tables are what tcpdump 4.99.3 printed, once, for the packets on their left (built by
 * the notation, written to a pcap): read back, a -vv -S line builds the same bytes, and
 * every line, as an expectation, matches the packet it was printed from. Then the parts
 * a line cannot say, named; -v's lines joined; `*`, ranges and variables in a line. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "pkt/pkt.h"
#include "tests.h"
#include "tutil.h"

struct pair {
	const char	*native, *line;
};

/* tcpdump -n -vv -S: every field, the bytes again */
static const struct pair vv[] = {
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 S seq 1000 win 65535 mss 1460 sackOK ts 1 0 nop wscale 7 id 1",
	    "00:00:01.000000 IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto TCP (6), length 60)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [S], cksum 0x4149 (correct), seq 1000, win 65535, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0" },
	{ "tcp 203.0.113.1:81 > 198.51.100.7:40000 SA seq 5 ack 1001 win 100 mss 1460 nop nop sackOK ttl 63 tos 0x10 df id 2",
	    "00:00:01.000000 IP (tos 0x10, ttl 63, id 2, offset 0, flags [DF], proto TCP (6), length 48)\n"
	    "    203.0.113.1.81 > 198.51.100.7.40000: Flags [S.], cksum 0x7bef (correct), seq 5, ack 1001, win 100, options [mss 1460,nop,nop,sackOK], length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 PUA seq 1001 ack 6 win 100 urg 3 len 5 nop nop ts 5 6 id 3",
	    "00:00:01.000000 IP (tos 0x0, ttl 64, id 3, offset 0, flags [none], proto TCP (6), length 57)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [P.U], cksum 0x6f61 (correct), seq 1001:1006, ack 6, win 100, urg 3, options [nop,nop,TS val 5 ecr 6], length 5" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 A seq 1001 ack 6 win 100 nop nop sack 10-20 30-40 id 4",
	    "00:00:01.000000 IP (tos 0x0, ttl 64, id 4, offset 0, flags [none], proto TCP (6), length 60)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [.], cksum 0x5228 (correct), seq 1001, ack 6, win 100, options [nop,nop,sack 2 {10:20}{30:40}], length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 A seq 1001 ack 6 win 100 cksum bad id 5",
	    "00:00:01.000000 IP (tos 0x0, ttl 64, id 5, offset 0, flags [none], proto TCP (6), length 40)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [.], cksum 0xa9b2 (incorrect -> 0xa8b3), seq 1001, ack 6, win 100, length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 SEW seq 1001 win 100 id 77 ipopt ra",
	    "00:00:01.000000 IP (tos 0x0, ttl 64, id 77, offset 0, flags [none], proto TCP (6), length 44, options (RA))\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [SEW], cksum 0xa807 (correct), seq 1001, win 100, length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 S seq 1001 win 100 ipopt nop lsrr 10.0.0.1 10.0.0.2 id 6",
	    "00:00:01.000000 IP (tos 0x0, ttl 64, id 6, offset 0, flags [none], proto TCP (6), length 52, options (NOP,LSRR 10.0.0.1 10.0.0.2))\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [S], cksum 0xdac7 (correct), seq 1001, win 100, length 0" },
	{ "udp 198.51.100.7:40000 > 203.0.113.1:4444 len 3 ttl 1 id 7",
	    "00:00:01.000000 IP (tos 0x0, ttl 1, id 7, offset 0, flags [none], proto UDP (17), length 31)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.4444: [udp sum ok] UDP, length 3" },
	{ "udp 198.51.100.7:40000 > 203.0.113.1:4444 len 3 cksum bad id 8",
	    "00:00:01.000000 IP (tos 0x0, ttl 64, id 8, offset 0, flags [none], proto UDP (17), length 31)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.4444: [bad udp cksum 0xeaff -> 0xebfe!] UDP, length 3" },
	{ "udp frag 198.51.100.7:40000 > 203.0.113.1:4444 len 100 id 9 off 0 mf iplen 60",
	    "00:00:01.000000 IP (tos 0x0, ttl 64, id 9, offset 0, flags [+], proto UDP (17), length 60)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.4444: UDP, length 100" },
	{ "udp frag 198.51.100.7:40000 > 203.0.113.1:4444 len 100 id 9 off 40",
	    "00:00:01.000000 IP (tos 0x0, ttl 64, id 9, offset 40, flags [none], proto UDP (17), length 88)\n"
	    "    198.51.100.7 > 203.0.113.1: ip-proto-17" },
	{ "icmp echo-request 198.51.100.7 > 203.0.113.1 id 5 seq 6 len 56 ipid 10",
	    "00:00:01.000000 IP (tos 0x0, ttl 64, id 10, offset 0, flags [none], proto ICMP (1), length 84)\n"
	    "    198.51.100.7 > 203.0.113.1: ICMP echo request, id 5, seq 6, length 64" },
	{ "icmp echo-reply 203.0.113.1 > 198.51.100.7 id 5 seq 6 len 56 ipid 11",
	    "00:00:01.000000 IP (tos 0x0, ttl 64, id 11, offset 0, flags [none], proto ICMP (1), length 84)\n"
	    "    203.0.113.1 > 198.51.100.7: ICMP echo reply, id 5, seq 6, length 64" },
	{ "icmp unreach-port 203.0.113.1 > 198.51.100.7 ipid 12 quote udp 198.51.100.7:40000 > 203.0.113.1:4444",
	    "00:00:01.000000 IP (tos 0x0, ttl 64, id 12, offset 0, flags [none], proto ICMP (1), length 56)\n"
	    "    203.0.113.1 > 198.51.100.7: ICMP 203.0.113.1 udp port 4444 unreachable, length 36\n"
	    "\tIP (tos 0x0, ttl 64, id 36124, offset 0, flags [none], proto UDP (17), length 28)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.4444: [udp sum ok] UDP, length 0" },
	{ "icmp unreach-port 203.0.113.1 > 198.51.100.7 ipid 13 quote tcp 198.51.100.7:40000 > 203.0.113.1:53",
	    "00:00:01.000000 IP (tos 0x0, ttl 64, id 13, offset 0, flags [none], proto ICMP (1), length 56)\n"
	    "    203.0.113.1 > 198.51.100.7: ICMP 203.0.113.1 tcp port 53 unreachable, length 36\n"
	    "\tIP (tos 0x0, ttl 64, id 40053, offset 0, flags [none], proto TCP (6), length 40)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.53:  [|tcp]" },
	{ "tcp [2001:db8::1]:40000 > [2001:db8::2]:80 S seq 1 win 100 mss 1440 hlim 3 tclass 0x20",
	    "00:00:01.000000 IP6 (class 0x20, hlim 3, next-header TCP (6) payload length: 24) 2001:db8::1.40000 > 2001:db8::2.80: Flags [S], cksum 0x9fd0 (correct), seq 1, win 100, options [mss 1440], length 0" },
	{ "udp [2001:db8::1]:40000 > [2001:db8::2]:4444 len 1",
	    "00:00:01.000000 IP6 (hlim 64, next-header UDP (17) payload length: 9) 2001:db8::1.40000 > 2001:db8::2.4444: [udp sum ok] UDP, length 1" },
	{ "icmp6 echo-request [2001:db8::1] > [2001:db8::2] id 1 seq 2 len 10",
	    "00:00:01.000000 IP6 (hlim 64, next-header ICMPv6 (58) payload length: 18) 2001:db8::1 > 2001:db8::2: [icmp6 sum ok] ICMP6, echo request, id 1, seq 2" },
	{ "icmp6 echo-reply [2001:db8::1] > [2001:db8::2] id 1 seq 2",
	    "00:00:01.000000 IP6 (hlim 64, next-header ICMPv6 (58) payload length: 8) 2001:db8::1 > 2001:db8::2: [icmp6 sum ok] ICMP6, echo reply, id 1, seq 2" },
	{ "udp frag [2001:db8::1]:40000 > [2001:db8::2]:4444 len 100 id 9 off 0 mf iplen 88",
	    "00:00:01.000000 IP6 (hlim 64, next-header Fragment (44) payload length: 48) 2001:db8::1 > 2001:db8::2: frag (0x00000009:0|40) 40000 > 4444: UDP, length 100" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 F seq 1001 win 100 id 14",
	    "00:00:01.000000 IP (tos 0x0, ttl 64, id 14, offset 0, flags [none], proto TCP (6), length 40)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [F], cksum 0xa8c8 (correct), seq 1001, win 100, length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 R seq 1001 win 0 id 15",
	    "00:00:01.000000 IP (tos 0x0, ttl 64, id 15, offset 0, flags [none], proto TCP (6), length 40)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [R], cksum 0xa929 (correct), seq 1001, win 0, length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 S seq 1001 win 0 tos 3 id 16",
	    "00:00:01.000000 IP (tos 0x3,CE, ttl 64, id 16, offset 0, flags [none], proto TCP (6), length 40)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [S], cksum 0xa92b (correct), seq 1001, win 0, length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 S seq 1001 win 0 ttl 0 id 17",
	    "00:00:01.000000 IP (tos 0x0, id 17, offset 0, flags [none], proto TCP (6), length 40)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [S], cksum 0xa92b (correct), seq 1001, win 0, length 0" },
};

/* tcpdump -n -e -vv -S */
static const struct pair evv[] = {
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 S seq 1000 win 65535 mss 1460 sackOK ts 1 0 nop wscale 7 id 1",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 74: (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto TCP (6), length 60)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [S], cksum 0x4149 (correct), seq 1000, win 65535, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0" },
	{ "tcp 203.0.113.1:81 > 198.51.100.7:40000 SA seq 5 ack 1001 win 100 mss 1460 nop nop sackOK ttl 63 tos 0x10 df id 2",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 62: (tos 0x10, ttl 63, id 2, offset 0, flags [DF], proto TCP (6), length 48)\n"
	    "    203.0.113.1.81 > 198.51.100.7.40000: Flags [S.], cksum 0x7bef (correct), seq 5, ack 1001, win 100, options [mss 1460,nop,nop,sackOK], length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 PUA seq 1001 ack 6 win 100 urg 3 len 5 nop nop ts 5 6 id 3",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 71: (tos 0x0, ttl 64, id 3, offset 0, flags [none], proto TCP (6), length 57)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [P.U], cksum 0x6f61 (correct), seq 1001:1006, ack 6, win 100, urg 3, options [nop,nop,TS val 5 ecr 6], length 5" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 A seq 1001 ack 6 win 100 nop nop sack 10-20 30-40 id 4",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 74: (tos 0x0, ttl 64, id 4, offset 0, flags [none], proto TCP (6), length 60)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [.], cksum 0x5228 (correct), seq 1001, ack 6, win 100, options [nop,nop,sack 2 {10:20}{30:40}], length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 A seq 1001 ack 6 win 100 cksum bad id 5",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 54: (tos 0x0, ttl 64, id 5, offset 0, flags [none], proto TCP (6), length 40)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [.], cksum 0xa9b2 (incorrect -> 0xa8b3), seq 1001, ack 6, win 100, length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 SEW seq 1001 win 100 id 77 ipopt ra",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 58: (tos 0x0, ttl 64, id 77, offset 0, flags [none], proto TCP (6), length 44, options (RA))\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [SEW], cksum 0xa807 (correct), seq 1001, win 100, length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 S seq 1001 win 100 ipopt nop lsrr 10.0.0.1 10.0.0.2 id 6",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 66: (tos 0x0, ttl 64, id 6, offset 0, flags [none], proto TCP (6), length 52, options (NOP,LSRR 10.0.0.1 10.0.0.2))\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [S], cksum 0xdac7 (correct), seq 1001, win 100, length 0" },
	{ "udp 198.51.100.7:40000 > 203.0.113.1:4444 len 3 ttl 1 id 7",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 45: (tos 0x0, ttl 1, id 7, offset 0, flags [none], proto UDP (17), length 31)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.4444: [udp sum ok] UDP, length 3" },
	{ "udp 198.51.100.7:40000 > 203.0.113.1:4444 len 3 cksum bad id 8",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 45: (tos 0x0, ttl 64, id 8, offset 0, flags [none], proto UDP (17), length 31)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.4444: [bad udp cksum 0xeaff -> 0xebfe!] UDP, length 3" },
	{ "udp frag 198.51.100.7:40000 > 203.0.113.1:4444 len 100 id 9 off 0 mf iplen 60",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 74: (tos 0x0, ttl 64, id 9, offset 0, flags [+], proto UDP (17), length 60)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.4444: UDP, length 100" },
	{ "udp frag 198.51.100.7:40000 > 203.0.113.1:4444 len 100 id 9 off 40",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 102: (tos 0x0, ttl 64, id 9, offset 40, flags [none], proto UDP (17), length 88)\n"
	    "    198.51.100.7 > 203.0.113.1: ip-proto-17" },
	{ "icmp echo-request 198.51.100.7 > 203.0.113.1 id 5 seq 6 len 56 ipid 10",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 98: (tos 0x0, ttl 64, id 10, offset 0, flags [none], proto ICMP (1), length 84)\n"
	    "    198.51.100.7 > 203.0.113.1: ICMP echo request, id 5, seq 6, length 64" },
	{ "icmp echo-reply 203.0.113.1 > 198.51.100.7 id 5 seq 6 len 56 ipid 11",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 98: (tos 0x0, ttl 64, id 11, offset 0, flags [none], proto ICMP (1), length 84)\n"
	    "    203.0.113.1 > 198.51.100.7: ICMP echo reply, id 5, seq 6, length 64" },
	{ "icmp unreach-port 203.0.113.1 > 198.51.100.7 ipid 12 quote udp 198.51.100.7:40000 > 203.0.113.1:4444",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 70: (tos 0x0, ttl 64, id 12, offset 0, flags [none], proto ICMP (1), length 56)\n"
	    "    203.0.113.1 > 198.51.100.7: ICMP 203.0.113.1 udp port 4444 unreachable, length 36\n"
	    "\t(tos 0x0, ttl 64, id 36124, offset 0, flags [none], proto UDP (17), length 28)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.4444: [udp sum ok] UDP, length 0" },
	{ "icmp unreach-port 203.0.113.1 > 198.51.100.7 ipid 13 quote tcp 198.51.100.7:40000 > 203.0.113.1:53",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 70: (tos 0x0, ttl 64, id 13, offset 0, flags [none], proto ICMP (1), length 56)\n"
	    "    203.0.113.1 > 198.51.100.7: ICMP 203.0.113.1 tcp port 53 unreachable, length 36\n"
	    "\t(tos 0x0, ttl 64, id 40053, offset 0, flags [none], proto TCP (6), length 40)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.53:  [|tcp]" },
	{ "tcp [2001:db8::1]:40000 > [2001:db8::2]:80 S seq 1 win 100 mss 1440 hlim 3 tclass 0x20",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv6 (0x86dd), length 78: (class 0x20, hlim 3, next-header TCP (6) payload length: 24) 2001:db8::1.40000 > 2001:db8::2.80: Flags [S], cksum 0x9fd0 (correct), seq 1, win 100, options [mss 1440], length 0" },
	{ "udp [2001:db8::1]:40000 > [2001:db8::2]:4444 len 1",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv6 (0x86dd), length 63: (hlim 64, next-header UDP (17) payload length: 9) 2001:db8::1.40000 > 2001:db8::2.4444: [udp sum ok] UDP, length 1" },
	{ "icmp6 echo-request [2001:db8::1] > [2001:db8::2] id 1 seq 2 len 10",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv6 (0x86dd), length 72: (hlim 64, next-header ICMPv6 (58) payload length: 18) 2001:db8::1 > 2001:db8::2: [icmp6 sum ok] ICMP6, echo request, id 1, seq 2" },
	{ "icmp6 echo-reply [2001:db8::1] > [2001:db8::2] id 1 seq 2",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv6 (0x86dd), length 62: (hlim 64, next-header ICMPv6 (58) payload length: 8) 2001:db8::1 > 2001:db8::2: [icmp6 sum ok] ICMP6, echo reply, id 1, seq 2" },
	{ "udp frag [2001:db8::1]:40000 > [2001:db8::2]:4444 len 100 id 9 off 0 mf iplen 88",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv6 (0x86dd), length 102: (hlim 64, next-header Fragment (44) payload length: 48) 2001:db8::1 > 2001:db8::2: frag (0x00000009:0|40) 40000 > 4444: UDP, length 100" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 F seq 1001 win 100 id 14",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 54: (tos 0x0, ttl 64, id 14, offset 0, flags [none], proto TCP (6), length 40)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [F], cksum 0xa8c8 (correct), seq 1001, win 100, length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 R seq 1001 win 0 id 15",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 54: (tos 0x0, ttl 64, id 15, offset 0, flags [none], proto TCP (6), length 40)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [R], cksum 0xa929 (correct), seq 1001, win 0, length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 S seq 1001 win 0 tos 3 id 16",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 54: (tos 0x3,CE, ttl 64, id 16, offset 0, flags [none], proto TCP (6), length 40)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [S], cksum 0xa92b (correct), seq 1001, win 0, length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 S seq 1001 win 0 ttl 0 id 17",
	    "00:00:01.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 54: (tos 0x0, id 17, offset 0, flags [none], proto TCP (6), length 40)\n"
	    "    198.51.100.7.40000 > 203.0.113.1.81: Flags [S], cksum 0xa92b (correct), seq 1001, win 0, length 0" },
};

/* tcpdump -n -S: what it prints matches (a bad checksum or a fragment it does not show) */
static const struct pair plain[] = {
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 S seq 1000 win 65535 mss 1460 sackOK ts 1 0 nop wscale 7 id 1",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.81: Flags [S], seq 1000, win 65535, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0" },
	{ "tcp 203.0.113.1:81 > 198.51.100.7:40000 SA seq 5 ack 1001 win 100 mss 1460 nop nop sackOK ttl 63 tos 0x10 df id 2",
	    "00:00:01.000000 IP 203.0.113.1.81 > 198.51.100.7.40000: Flags [S.], seq 5, ack 1001, win 100, options [mss 1460,nop,nop,sackOK], length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 PUA seq 1001 ack 6 win 100 urg 3 len 5 nop nop ts 5 6 id 3",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.81: Flags [P.U], seq 1001:1006, ack 6, win 100, urg 3, options [nop,nop,TS val 5 ecr 6], length 5" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 A seq 1001 ack 6 win 100 nop nop sack 10-20 30-40 id 4",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.81: Flags [.], ack 6, win 100, options [nop,nop,sack 2 {10:20}{30:40}], length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 SEW seq 1001 win 100 id 77 ipopt ra",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.81: Flags [SEW], seq 1001, win 100, length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 S seq 1001 win 100 ipopt nop lsrr 10.0.0.1 10.0.0.2 id 6",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.81: Flags [S], seq 1001, win 100, length 0" },
	{ "udp 198.51.100.7:40000 > 203.0.113.1:4444 len 3 ttl 1 id 7",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.4444: UDP, length 3" },
	{ "icmp echo-request 198.51.100.7 > 203.0.113.1 id 5 seq 6 len 56 ipid 10",
	    "00:00:01.000000 IP 198.51.100.7 > 203.0.113.1: ICMP echo request, id 5, seq 6, length 64" },
	{ "icmp echo-reply 203.0.113.1 > 198.51.100.7 id 5 seq 6 len 56 ipid 11",
	    "00:00:01.000000 IP 203.0.113.1 > 198.51.100.7: ICMP echo reply, id 5, seq 6, length 64" },
	{ "icmp unreach-port 203.0.113.1 > 198.51.100.7 ipid 12 quote udp 198.51.100.7:40000 > 203.0.113.1:4444",
	    "00:00:01.000000 IP 203.0.113.1 > 198.51.100.7: ICMP 203.0.113.1 udp port 4444 unreachable, length 36" },
	{ "icmp unreach-port 203.0.113.1 > 198.51.100.7 ipid 13 quote tcp 198.51.100.7:40000 > 203.0.113.1:53",
	    "00:00:01.000000 IP 203.0.113.1 > 198.51.100.7: ICMP 203.0.113.1 tcp port 53 unreachable, length 36" },
	{ "tcp [2001:db8::1]:40000 > [2001:db8::2]:80 S seq 1 win 100 mss 1440 hlim 3 tclass 0x20",
	    "00:00:01.000000 IP6 2001:db8::1.40000 > 2001:db8::2.80: Flags [S], seq 1, win 100, options [mss 1440], length 0" },
	{ "udp [2001:db8::1]:40000 > [2001:db8::2]:4444 len 1",
	    "00:00:01.000000 IP6 2001:db8::1.40000 > 2001:db8::2.4444: UDP, length 1" },
	{ "icmp6 echo-request [2001:db8::1] > [2001:db8::2] id 1 seq 2 len 10",
	    "00:00:01.000000 IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo request, id 1, seq 2, length 18" },
	{ "icmp6 echo-reply [2001:db8::1] > [2001:db8::2] id 1 seq 2",
	    "00:00:01.000000 IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo reply, id 1, seq 2, length 8" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 F seq 1001 win 100 id 14",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.81: Flags [F], seq 1001, win 100, length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 R seq 1001 win 0 id 15",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.81: Flags [R], seq 1001, win 0, length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 S seq 1001 win 0 tos 3 id 16",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.81: Flags [S], seq 1001, win 0, length 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 S seq 1001 win 0 ttl 0 id 17",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.81: Flags [S], seq 1001, win 0, length 0" },
};

/* tcpdump -n -q -S */
static const struct pair quiet[] = {
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 S seq 1000 win 65535 mss 1460 sackOK ts 1 0 nop wscale 7 id 1",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.81: tcp 0" },
	{ "tcp 203.0.113.1:81 > 198.51.100.7:40000 SA seq 5 ack 1001 win 100 mss 1460 nop nop sackOK ttl 63 tos 0x10 df id 2",
	    "00:00:01.000000 IP 203.0.113.1.81 > 198.51.100.7.40000: tcp 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 PUA seq 1001 ack 6 win 100 urg 3 len 5 nop nop ts 5 6 id 3",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.81: tcp 5" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 A seq 1001 ack 6 win 100 nop nop sack 10-20 30-40 id 4",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.81: tcp 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 SEW seq 1001 win 100 id 77 ipopt ra",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.81: tcp 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 S seq 1001 win 100 ipopt nop lsrr 10.0.0.1 10.0.0.2 id 6",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.81: tcp 0" },
	{ "udp 198.51.100.7:40000 > 203.0.113.1:4444 len 3 ttl 1 id 7",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.4444: UDP, length 3" },
	{ "icmp echo-request 198.51.100.7 > 203.0.113.1 id 5 seq 6 len 56 ipid 10",
	    "00:00:01.000000 IP 198.51.100.7 > 203.0.113.1: ICMP echo request, id 5, seq 6, length 64" },
	{ "icmp echo-reply 203.0.113.1 > 198.51.100.7 id 5 seq 6 len 56 ipid 11",
	    "00:00:01.000000 IP 203.0.113.1 > 198.51.100.7: ICMP echo reply, id 5, seq 6, length 64" },
	{ "icmp unreach-port 203.0.113.1 > 198.51.100.7 ipid 12 quote udp 198.51.100.7:40000 > 203.0.113.1:4444",
	    "00:00:01.000000 IP 203.0.113.1 > 198.51.100.7: ICMP 203.0.113.1 udp port 4444 unreachable, length 36" },
	{ "icmp unreach-port 203.0.113.1 > 198.51.100.7 ipid 13 quote tcp 198.51.100.7:40000 > 203.0.113.1:53",
	    "00:00:01.000000 IP 203.0.113.1 > 198.51.100.7: ICMP 203.0.113.1 tcp port 53 unreachable, length 36" },
	{ "tcp [2001:db8::1]:40000 > [2001:db8::2]:80 S seq 1 win 100 mss 1440 hlim 3 tclass 0x20",
	    "00:00:01.000000 IP6 2001:db8::1.40000 > 2001:db8::2.80: tcp 0" },
	{ "udp [2001:db8::1]:40000 > [2001:db8::2]:4444 len 1",
	    "00:00:01.000000 IP6 2001:db8::1.40000 > 2001:db8::2.4444: UDP, length 1" },
	{ "icmp6 echo-request [2001:db8::1] > [2001:db8::2] id 1 seq 2 len 10",
	    "00:00:01.000000 IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo request, id 1, seq 2, length 18" },
	{ "icmp6 echo-reply [2001:db8::1] > [2001:db8::2] id 1 seq 2",
	    "00:00:01.000000 IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo reply, id 1, seq 2, length 8" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 F seq 1001 win 100 id 14",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.81: tcp 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 R seq 1001 win 0 id 15",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.81: tcp 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 S seq 1001 win 0 tos 3 id 16",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.81: tcp 0" },
	{ "tcp 198.51.100.7:40000 > 203.0.113.1:81 S seq 1001 win 0 ttl 0 id 17",
	    "00:00:01.000000 IP 198.51.100.7.40000 > 203.0.113.1.81: tcp 0" },
};

/* The bytes of a packet written in the notation, and the same decoded. */
static int
built(const char *text, uint8_t *b, size_t cap, struct pkt *d)
{
	struct pkt k;
	char err[256];
	int n;

	tut_pkt(text, &k);
	if ((n = pkt_build_l3(&k, b, cap, err, sizeof(err))) == -1) {
		CU_FAIL(err);
		return (-1);
	}
	if (pkt_decode_l3(b, (size_t)n, d) == -1 && pkt_decode_frag_l3(b, (size_t)n, d) == -1)
		CU_FAIL("the built packet does not decode");
	return (n);
}

/* -vv -S prints every field the notation has: the line builds the same bytes. */
static void
same_bytes(const struct pair *t, size_t n)
{
	uint8_t a[PKT_FRAME_MAX], b[PKT_FRAME_MAX];
	struct pkt k, d;
	char err[256];
	size_t i;
	int na, nb;

	for (i = 0; i < n; i++) {
		na = built(t[i].native, a, sizeof(a), &d);
		err[0] = '\0';
		CU_ASSERT_EQUAL(pkt_parse(t[i].line, &k, err, sizeof(err)), 0);
		if (err[0] != '\0') {
			fprintf(stderr, "\n  %s: %s\n", t[i].line, err);
			continue;
		}
		nb = pkt_build_l3(&k, b, sizeof(b), err, sizeof(err));
		CU_ASSERT(na == nb && memcmp(a, b, (size_t)na) == 0);
		if (na != nb || memcmp(a, b, (size_t)na) != 0)
			fprintf(stderr, "\n  not the same bytes: %s\n", t[i].line);
	}
}

static void
test_same_bytes(void)
{
	same_bytes(vv, sizeof(vv) / sizeof(vv[0]));
	same_bytes(evv, sizeof(evv) / sizeof(evv[0]));
}

/* Each line as an expectation matches the packet it was printed from. */
static void
as_patterns(const struct pair *t, size_t n)
{
	uint8_t b[PKT_FRAME_MAX];
	struct pkt_pat p;
	struct pkt d;
	char err[256], why[256];
	size_t i;

	for (i = 0; i < n; i++) {
		(void)built(t[i].native, b, sizeof(b), &d);
		err[0] = why[0] = '\0';
		CU_ASSERT_EQUAL(pkt_pat_parse(t[i].line, &p, err, sizeof(err)), 0);
		CU_ASSERT_EQUAL(pkt_match(&p, &d, why, sizeof(why)), 1);
		if (err[0] != '\0' || why[0] != '\0')
			fprintf(stderr, "\n  %s: %s%s\n", t[i].line, err, why);
	}
}

static void
test_as_patterns(void)
{
	as_patterns(vv, sizeof(vv) / sizeof(vv[0]));
	as_patterns(evv, sizeof(evv) / sizeof(evv[0]));
	as_patterns(plain, sizeof(plain) / sizeof(plain[0]));
	as_patterns(quiet, sizeof(quiet) / sizeof(quiet[0]));
}

/* ICMP errors whose quoted packet tcpdump -n names only in part (its destination):
 * the part named is checked, the rest is not. Lines as tcpdump 4.99.3 printed them. */
static const struct pair errors[] = {
	{ "icmp unreach-host 203.0.113.1 > 198.51.100.7 quote tcp 198.51.100.7:40000 > "
	    "10.0.0.9:80",
	    "00:00:01.000000 IP 203.0.113.1 > 198.51.100.7: ICMP host 10.0.0.9 unreachable, "
	    "length 36" },
	{ "icmp unreach-needfrag 203.0.113.1 > 198.51.100.7 quote tcp 198.51.100.7:40000 > "
	    "10.0.0.9:80",
	    "00:00:01.000000 IP 203.0.113.1 > 198.51.100.7: ICMP 10.0.0.9 unreachable - need "
	    "to frag, length 36" },
	{ "icmp timex 203.0.113.1 > 198.51.100.7 quote udp 198.51.100.7:40000 > 10.0.0.9:53",
	    "00:00:01.000000 IP 203.0.113.1 > 198.51.100.7: ICMP time exceeded in-transit, "
	    "length 36" },
	{ "icmp6 unreach-host [2001:db8::2] > [2001:db8::1] quote udp [2001:db8::1]:4 > "
	    "[2001:db8::2]:53",
	    "00:00:01.000000 IP6 2001:db8::2 > 2001:db8::1: ICMP6, destination unreachable, "
	    "unreachable address 2001:db8::2, length 56" },
	{ "icmp6 unreach-needfrag [2001:db8::2] > [2001:db8::1] quote tcp [2001:db8::1]:4 > "
	    "[2001:db8::2]:53",
	    "00:00:01.000000 IP6 2001:db8::2 > 2001:db8::1: ICMP6, packet too big, mtu 0, "
	    "length 56" },
	{ "icmp6 timex [2001:db8::2] > [2001:db8::1] quote tcp [2001:db8::1]:4 > "
	    "[2001:db8::2]:53",
	    "00:00:01.000000 IP6 2001:db8::2 > 2001:db8::1: ICMP6, time exceeded in-transit "
	    "for 2001:db8::2, length 56" },
};

static void
test_icmp_errors(void)
{
	uint8_t b[PKT_FRAME_MAX];
	struct pkt_pat p;
	struct pkt d;
	char why[256];

	as_patterns(errors, sizeof(errors) / sizeof(errors[0]));
	(void)built("icmp unreach-host 203.0.113.1 > 198.51.100.7 quote tcp "
	    "198.51.100.7:40000 > 10.0.0.8:80", b, sizeof(b), &d);
	tut_pat(errors[0].line, &p);
	CU_ASSERT_EQUAL(pkt_match(&p, &d, why, sizeof(why)), 0);
	CU_ASSERT_STRING_EQUAL(why, "field quote.ip.dst: expected 10.0.0.9 vs actual "
	    "10.0.0.8");
}

/* What a line says is checked: a wrong value in it is a mismatch. */
static void
test_checked(void)
{
	static const struct {
		const char *native, *line, *why;
	} m[] = {
		{ "tcp 1.1.1.1:1 > 2.2.2.2:2 S seq 5 win 9 ttl 3 id 1",
		    "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto TCP (6), length 40) "
		    "1.1.1.1.1 > 2.2.2.2.2: Flags [S], seq 5, win 9, length 0",
		    "field ip.ttl: expected 64 vs actual 3" },
		{ "tcp 1.1.1.1:1 > 2.2.2.2:2 S seq 5 win 9 ttl 0 id 1",
		    "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto TCP (6), length 40) "
		    "1.1.1.1.1 > 2.2.2.2.2: Flags [S], seq 5, win 9, length 0",
		    "field ip.ttl: expected 64 vs actual 0" },
		{ "tcp 1.1.1.1:1 > 2.2.2.2:2 S seq 5 win 9 ttl 9 id 1",
		    "IP (tos 0x0, id 1, offset 0, flags [none], proto TCP (6), length 40) "
		    "1.1.1.1.1 > 2.2.2.2.2: Flags [S], seq 5, win 9, length 0",
		    "field ip.ttl: expected 0 vs actual 9" },
		{ "tcp 1.1.1.1:1 > 2.2.2.2:2 SA seq 5 ack 6 win 9",
		    "IP 1.1.1.1.1 > 2.2.2.2.2: Flags [S], seq 5, ack 6, win 9, length 0",
		    "field tcp.flags: expected S vs actual SA" },
		{ "tcp 1.1.1.1:1 > 2.2.2.2:2 S seq 5 win 9 mss 1460",
		    "IP 1.1.1.1.1 > 2.2.2.2.2: Flags [S], seq 5, win 9, options [mss 1400], "
		    "length 0", "field tcp.mss: expected 1400 vs actual 1460" },
		{ "tcp 1.1.1.1:1 > 2.2.2.2:2 S seq 5 win 9 df",
		    "IP (tos 0x0, ttl 64, id *, offset 0, flags [none], proto TCP (6), length 40) "
		    "1.1.1.1.1 > 2.2.2.2.2: Flags [S], seq 5, win 9, length 0",
		    "field ip.df: expected clear vs actual set" },
		{ "udp 1.1.1.1:1 > 2.2.2.2:2 len 4",
		    "IP 1.1.1.1.1 > 2.2.2.2.2: UDP, length 5", "field len: expected 5 vs actual 4" },
		{ "icmp echo-reply 1.1.1.1 > 2.2.2.2 id 7 seq 2",
		    "IP 1.1.1.1 > 2.2.2.2: ICMP echo reply, id 7, seq 1, length 8",
		    "field icmp.seq: expected 1 vs actual 2" },
	};
	uint8_t b[PKT_FRAME_MAX];
	struct pkt_pat p;
	struct pkt d;
	char why[256];
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		(void)built(m[i].native, b, sizeof(b), &d);
		tut_pat(m[i].line, &p);
		why[0] = '\0';
		CU_ASSERT_EQUAL(pkt_match(&p, &d, why, sizeof(why)), 0);
		CU_ASSERT_STRING_EQUAL(why, m[i].why);
		if (strcmp(why, m[i].why) != 0)
			fprintf(stderr, "\n  %s: got \"%s\"\n", m[i].line, why);
	}
}

static void
test_errors(void)
{
	static const struct {
		const char *line, *err;
		int pattern;
	} bad[] = {
		{ "IP 1.2.3.4.1 > 5.6.7.8.2: Flags [SX], seq 1, win 1, length 0",
		    "tcpdump line: bad TCP flags \"SX\"", 1 },
		{ "IP 1.2.3.4.1 > 5.6.7.8.2: Flags [S], seq x, win 1, length 0",
		    "tcpdump line: bad seq \"x\"", 1 },
		{ "IP 1.2.3.4.1 > 5.6.7.8.2: Flags [S], seq 1, win 70000, length 0",
		    "tcpdump line: bad win \"70000\"", 1 },
		{ "IP 1.2.3.4.1 > 5.6.7.8.2: Flags [S], seq 1, win 1, options [mss 1460,"
		    "mptcp capable v1], length 0",
		    "tcpdump line: TCP option \"mptcp capable v1\" is not one the notation writes "
		    "(mss, wscale, sackOK, TS, sack, nop, eol)", 1 },
		{ "IP 1.2.3.4.1 > 5.6.7.8.2: Flags [S], seq 1, win 1, options [TS val 1], length 0",
		    "tcpdump line: expected \"TS val N ecr N\", not \"TS val 1\"", 1 },
		{ "IP 1.2.3.4.1 > 5.6.7.8.2: Flags [S], bogus 1, length 0",
		    "tcpdump line: cannot read \"bogus 1\" in the TCP part", 1 },
		{ "IP 1.2.3.4.40000 > 5.6.7.8.53: 12345+ A? example.com. (29)",
		    "tcpdump line: cannot read \"12345+ A? example.com. (29)\" (TCP, UDP, ICMP and "
		    "ICMP6 lines; for a payload tcpdump decoded, paste a line of tcpdump -q)", 1 },
		{ "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 57) "
		    "1.2.3.4.40000 > 5.6.7.8.53: 12345+ A? example.com. (29)",
		    "tcpdump line: cannot read \"12345+ A? example.com. (29)\": tcpdump decoded the "
		    "payload of a known port; paste a line of tcpdump -q", 1 },
		{ "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto TCP (6), length 40, "
		    "bad cksum 1234 (->5678)!) 1.2.3.4.1 > 5.6.7.8.2: Flags [S], length 0",
		    "tcpdump line: a wrong IPv4 header checksum cannot be written (`cksum bad` is "
		    "the transport's)", 1 },
		{ "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto TCP (6), length 48, "
		    "options (timestamp TS{TSONLY 0})) 1.2.3.4.1 > 5.6.7.8.2: Flags [S], length 0",
		    "tcpdump line: IP option \"timestamp\" is not one the notation writes (RA, NOP, "
		    "EOL, LSRR, SSRR)", 1 },
		{ "IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 40) "
		    "1.2.3.4.1 > 5.6.7.8.2: Flags [S], length 0",
		    "tcpdump line: the IP header's protocol is not the one the line shows", 1 },
		{ "IP (tos 0x0, ttl 64, id 1, offset 0 1.2.3.4.1 > 5.6.7.8.2: Flags [S], length 0",
		    "tcpdump line: unclosed ( of the IP header (-v)", 1 },
		{ "IP 1.2.3.4 > 5.6.7.8: ip-proto-17",
		    "tcpdump line: tcpdump prints a fragment's offset and length only with -v: "
		    "paste the lines of tcpdump -v", 1 },
		{ "IP6 2001:db8::1 > 2001:db8::2: frag (40|68)",
		    "tcpdump line: tcpdump does not print the protocol of an IPv6 fragment past "
		    "the first: write it as `PROTO frag ...`", 1 },
		{ "IP 1.2.3.4 > 5.6.7.8: ICMP redirect 9.9.9.9 to host 1.1.1.1, length 36",
		    "tcpdump line: ICMP \"redirect 9.9.9.9 to host 1.1.1.1\" is not one the "
		    "notation writes (echo request, echo reply, port or host unreachable, need "
		    "to frag, time exceeded)", 1 },
		{ "IP6 2001:db8::1 > 2001:db8::2: ICMP6, router solicitation, length 8",
		    "tcpdump line: ICMP6 \"router solicitation\" is not one the notation writes "
		    "(echo request, echo reply, destination unreachable, packet too big, time "
		    "exceeded)", 1 },
		{ "IP 1.2.3.4.1 > 5.6.7.8.2 Flags [S], length 0",
		    "tcpdump line: expected \"SRC > DST: \"", 1 },
		{ "IP 1.2.3.400.1 > 5.6.7.8.2: Flags [S], length 0",
		    "tcpdump line: bad address \"1.2.3.400\"", 1 },
		{ "IP 1.2.3.4 > 5.6.7.8.2: Flags [S], length 0",
		    "tcpdump line: bad address \"1.2.3\"", 1 },
		{ "IP 2001:db8::1.1 > 5.6.7.8.2: Flags [S], length 0",
		    "tcpdump line: expected ADDR.PORT, not \"2001:db8::1.1\"", 1 },
		{ "IP6 2001:db8::1.1 > 5.6.7.8.2: Flags [S], length 0",
		    "tcpdump line: bad address \"5.6.7.8\"", 1 },
		{ "02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: "
		    "Request who-has 1.2.3.4 tell 5.6.7.8, length 28",
		    "tcpdump line: ethertype ARP is not IP", 1 },
		{ "17:14:47.854213 IPX 1.2.3.4.1 > 5.6.7.8.2: Flags [S], length 0",
		    "unknown protocol \"17:14:47.854213\"", 1 },
		{ "IP 5.6.7.8 > 1.2.3.4: ICMP 5.6.7.8 udp port 53 unreachable, length 36",
		    "tcpdump line: the quoted packet's source and its port are in tcpdump -v's "
		    "lines only: paste those", 0 },
		{ "IP 1.2.3.4.1 > 5.6.7.8.2: Flags [S], seq 1:3, win 1, length 5",
		    "tcpdump line: seq N:M does not span the length", 1 },
	};
	struct pkt k;
	struct pkt_pat p;
	char err[512];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		rc = bad[i].pattern ? pkt_pat_parse(bad[i].line, &p, err, sizeof(err)) :
		    pkt_parse(bad[i].line, &k, err, sizeof(err));
		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT_STRING_EQUAL(err, bad[i].err);
		if (strcmp(err, bad[i].err) != 0)
			fprintf(stderr, "\n  %s: got \"%s\"\n", bad[i].line, err);
	}
}

/* -v puts the addresses on the next line, and an ICMP error's quote on two more. */
static void
test_wants_more(void)
{
	CU_ASSERT_EQUAL(pkt_tcpdump_wants_more("IP (tos 0x0, ttl 64, id 1, offset 0, flags "
	    "[none], proto TCP (6), length 40)"), 1);
	CU_ASSERT_EQUAL(pkt_tcpdump_wants_more("17:14:47.854213 IP (tos 0x0, ttl 64, id 1, "
	    "offset 0, flags [none], proto TCP (6), length 40)  "), 1);
	CU_ASSERT_EQUAL(pkt_tcpdump_wants_more("02:70:66:68:00:02 > 02:70:66:68:00:01, "
	    "ethertype IPv4 (0x0800), length 54: (tos 0x0, ttl 64, id 1, offset 0, flags "
	    "[none], proto TCP (6), length 40)"), 1);
	CU_ASSERT_EQUAL(pkt_tcpdump_wants_more("IP (tos 0x0, ttl 64, id 1, offset 0, flags "
	    "[none], proto TCP (6), length 40) 1.2.3.4.1 > 5.6.7.8.2: Flags [S], length 0"),
	    0);
	CU_ASSERT_EQUAL(pkt_tcpdump_wants_more("IP (tos 0xc0, ttl 64, id 1, offset 0, flags "
	    "[none], proto ICMP (1), length 56) 5.6.7.8 > 1.2.3.4: ICMP 5.6.7.8 udp port 53 "
	    "unreachable, length 36"), 1);
	CU_ASSERT_EQUAL(pkt_tcpdump_wants_more("IP (tos 0xc0, ttl 64, id 1, offset 0, flags "
	    "[none], proto ICMP (1), length 56) 5.6.7.8 > 1.2.3.4: ICMP 5.6.7.8 udp port 53 "
	    "unreachable, length 36 IP (tos 0x0, ttl 64, id 2, offset 0, flags [none], proto "
	    "UDP (17), length 28)"), 1);
	CU_ASSERT_EQUAL(pkt_tcpdump_wants_more("IP (tos 0xc0, ttl 64, id 1, offset 0, flags "
	    "[none], proto ICMP (1), length 56) 5.6.7.8 > 1.2.3.4: ICMP 5.6.7.8 udp port 53 "
	    "unreachable, length 36 IP (tos 0x0, ttl 64, id 2, offset 0, flags [none], proto "
	    "UDP (17), length 28) 1.2.3.4.9 > 5.6.7.8.53: UDP, length 0"), 0);
	CU_ASSERT_EQUAL(pkt_tcpdump_wants_more("IP 1.2.3.4.1 > 5.6.7.8.2: Flags [S], length 0"),
	    0);
	CU_ASSERT_EQUAL(pkt_tcpdump_wants_more("tcp 1.2.3.4:1 > 5.6.7.8:2 S"), 0);
}

/* The notation's `*`, ranges and variables stand in a line where values go. */
static void
test_values(void)
{
	static const struct {
		const char *line, *pat;
	} v[] = {
		{ "IP 203.0.113.1.$p > 198.51.100.7.443: Flags [S], seq *, win 1000-2000, "
		    "length 0", "tcp 203.0.113.1:$p > 198.51.100.7:443 S win 1000-2000 len 0" },
		{ "IP *.* > 198.51.100.7.443: Flags [*], seq $s+1, ack $a, win *, length *",
		    "tcp *:* > 198.51.100.7:443 seq $s+1 ack $a" },
		{ "IP (tos *, ttl 60-64, id $id, offset 0, flags [*], proto TCP (6), length *) "
		    "1.2.3.4.1 > 5.6.7.8.2: Flags [S], length 0",
		    "tcp 1.2.3.4:1 > 5.6.7.8:2 S len 0 ttl 60-64 id $id" },
		{ "IP6 (class 0x20, flowlabel 0x12345, hlim 3, next-header TCP (6) payload "
		    "length: 20) 2001:db8::1.1 > 2001:db8::2.2: Flags [S.], seq 1, ack 2, win 3, "
		    "length 0", "tcp [2001:db8::1]:1 > [2001:db8::2]:2 SA seq 1 ack 2 win 3 len 0 "
		    "hlim 3 tclass 32 iplen 60" },
		{ "IP 5.6.7.8 > 1.2.3.4: ICMP host 9.9.9.9 unreachable, length 36",
		    "icmp unreach-host 5.6.7.8 > 1.2.3.4 quote * 1.2.3.4 > 9.9.9.9" },
	};
	struct pkt_pat p;
	char buf[512];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		tut_pat(v[i].line, &p);
		CU_ASSERT_STRING_EQUAL(pkt_pat_format(&p, buf, sizeof(buf)), v[i].pat);
		if (strcmp(buf, v[i].pat) != 0)
			fprintf(stderr, "\n  %s:\n  got  %s\n  want %s\n", v[i].line, buf,
			    v[i].pat);
	}
}

int
pkt_tcpdump_test_register(void)
{
	CU_pSuite s = CU_add_suite("pkt_tcpdump", NULL, NULL);

	if (s == NULL ||
	    CU_add_test(s, "-vv -S lines build the same bytes", test_same_bytes) == NULL ||
	    CU_add_test(s, "lines match what they were printed from", test_as_patterns) ==
	    NULL ||
	    CU_add_test(s, "what a line says is checked", test_checked) == NULL ||
	    CU_add_test(s, "ICMP errors named in part", test_icmp_errors) == NULL ||
	    CU_add_test(s, "what a line cannot say, named", test_errors) == NULL ||
	    CU_add_test(s, "-v's lines joined", test_wants_more) == NULL ||
	    CU_add_test(s, "*, ranges and variables in a line", test_values) == NULL)
		return (-1);
	return (0);
}
