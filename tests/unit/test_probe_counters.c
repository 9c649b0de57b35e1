/* test_probe_counters: parsing /proc/net/netstat and snmp text as nstat names it, lookups, deltas and malformed input. */
#include "unit.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "probe/counters.h"

/* Captured from a 6.18 kernel: cat /proc/net/netstat; cat /proc/net/snmp. */
static const char netstat_text[] =
	"TcpExt: SyncookiesSent SyncookiesRecv SyncookiesFailed EmbryonicRsts PruneCalled RcvPruned "
	"OfoPruned OutOfWindowIcmps LockDroppedIcmps ArpFilter TW TWRecycled TWKilled PAWSActive "
	"PAWSEstab BeyondWindow TSEcrRejected PAWSOldAck PAWSTimewait DelayedACKs DelayedACKLocked "
	"DelayedACKLost ListenOverflows ListenDrops TCPHPHits TCPPureAcks TCPHPAcks TCPRenoRecovery "
	"TCPSackRecovery TCPSACKReneging TCPSACKReorder TCPRenoReorder TCPTSReorder TCPFullUndo "
	"TCPPartialUndo TCPDSACKUndo TCPLossUndo TCPLostRetransmit TCPRenoFailures TCPSackFailures "
	"TCPLossFailures TCPFastRetrans TCPSlowStartRetrans TCPTimeouts TCPLossProbes "
	"TCPLossProbeRecovery TCPRenoRecoveryFail TCPSackRecoveryFail TCPRcvCollapsed "
	"TCPBacklogCoalesce TCPDSACKOldSent TCPDSACKOfoSent TCPDSACKRecv TCPDSACKOfoRecv "
	"TCPAbortOnData TCPAbortOnClose TCPAbortOnMemory TCPAbortOnTimeout TCPAbortOnLinger "
	"TCPAbortFailed TCPMemoryPressures TCPMemoryPressuresChrono TCPSACKDiscard "
	"TCPDSACKIgnoredOld TCPDSACKIgnoredNoUndo TCPSpuriousRTOs TCPMD5NotFound TCPMD5Unexpected "
	"TCPMD5Failure TCPSackShifted TCPSackMerged TCPSackShiftFallback TCPBacklogDrop "
	"PFMemallocDrop TCPMinTTLDrop TCPDeferAcceptDrop IPReversePathFilter TCPTimeWaitOverflow "
	"TCPReqQFullDoCookies TCPReqQFullDrop TCPRetransFail TCPRcvCoalesce TCPOFOQueue TCPOFODrop "
	"TCPOFOMerge TCPChallengeACK TCPSYNChallenge TCPFastOpenActive TCPFastOpenActiveFail "
	"TCPFastOpenPassive TCPFastOpenPassiveFail TCPFastOpenListenOverflow TCPFastOpenCookieReqd "
	"TCPFastOpenBlackhole TCPSpuriousRtxHostQueues BusyPollRxPackets TCPAutoCorking "
	"TCPFromZeroWindowAdv TCPToZeroWindowAdv TCPWantZeroWindowAdv TCPSynRetrans TCPOrigDataSent "
	"TCPHystartTrainDetect TCPHystartTrainCwnd TCPHystartDelayDetect TCPHystartDelayCwnd "
	"TCPACKSkippedSynRecv TCPACKSkippedPAWS TCPACKSkippedSeq TCPACKSkippedFinWait2 "
	"TCPACKSkippedTimeWait TCPACKSkippedChallenge TCPWinProbe TCPKeepAlive TCPMTUPFail "
	"TCPMTUPSuccess TCPDelivered TCPDeliveredCE TCPAckCompressed TCPZeroWindowDrop TCPRcvQDrop "
	"TCPWqueueTooBig TCPFastOpenPassiveAltKey TcpTimeoutRehash TcpDuplicateDataRehash "
	"TCPDSACKRecvSegs TCPDSACKIgnoredDubious TCPMigrateReqSuccess TCPMigrateReqFailure "
	"TCPPLBRehash TCPAORequired TCPAOBad TCPAOKeyNotFound TCPAOGood TCPAODroppedIcmps\n"
	"TcpExt: 0 0 0 0 0 0 0 0 0 0 12 0 0 0 0 0 0 0 0 0 0 0 0 0 3 16 6 0 0 0 0 0 0 0 0 0 0 0 0 0 "
	"0 0 0 2 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1206 0 "
	"0 0 0 0 0 0 0 0 0 0 0 2 0 1 187 187 8 0 66 0 0 0 0 0 0 0 0 0 0 0 0 0 0 78 0 0 0 0 0 0 2 0 "
	"0 0 0 0 0 0 0 0 0 0\n"
	"IpExt: InNoRoutes InTruncatedPkts InMcastPkts OutMcastPkts InBcastPkts OutBcastPkts "
	"InOctets OutOctets InMcastOctets OutMcastOctets InBcastOctets OutBcastOctets InCsumErrors "
	"InNoECTPkts InECT1Pkts InECT0Pkts InCEPkts ReasmOverlaps\n"
	"IpExt: 0 0 0 2 0 0 80205571 57970 0 80 0 0 0 1579 0 0 0 0\n"
	"MPTcpExt: MPCapableSYNRX MPCapableSYNTX MPCapableSYNACKRX MPCapableACKRX "
	"MPCapableFallbackACK MPCapableFallbackSYNACK MPCapableSYNTXDrop MPCapableSYNTXDisabled "
	"MPCapableEndpAttempt MPFallbackTokenInit MPTCPRetrans MPJoinNoTokenFound MPJoinSynRx "
	"MPJoinSynBackupRx MPJoinSynAckRx MPJoinSynAckBackupRx MPJoinSynAckHMacFailure MPJoinAckRx "
	"MPJoinAckHMacFailure MPJoinRejected MPJoinSynTx MPJoinSynTxCreatSkErr MPJoinSynTxBindErr "
	"MPJoinSynTxConnectErr DSSNotMatching DSSCorruptionFallback DSSCorruptionReset "
	"InfiniteMapTx InfiniteMapRx DSSNoMatchTCP DataCsumErr OFOQueueTail OFOQueue OFOMerge "
	"NoDSSInWindow DuplicateData AddAddr AddAddrTx AddAddrTxDrop EchoAdd EchoAddTx "
	"EchoAddTxDrop PortAdd AddAddrDrop MPJoinPortSynRx MPJoinPortSynAckRx MPJoinPortAckRx "
	"MismatchPortSynRx MismatchPortAckRx RmAddr RmAddrDrop RmAddrTx RmAddrTxDrop RmSubflow "
	"MPPrioTx MPPrioRx MPFailTx MPFailRx MPFastcloseTx MPFastcloseRx MPRstTx MPRstRx "
	"SubflowStale SubflowRecover SndWndShared RcvWndShared RcvWndConflictUpdate RcvWndConflict "
	"MPCurrEstab Blackhole MPCapableDataFallback MD5SigFallback DssFallback "
	"SimultConnectFallback FallbackFailed WinProbe\n"
	"MPTcpExt: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 "
	"0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

static const char snmp_text[] =
	"Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams "
	"InUnknownProtos InDiscards InDelivers OutRequests OutDiscards OutNoRoutes ReasmTimeout "
	"ReasmReqds ReasmOKs ReasmFails FragOKs FragFails FragCreates OutTransmits\n"
	"Ip: 1 64 1579 0 0 0 0 0 1579 885 0 0 0 0 0 0 0 0 0 885\n"
	"Icmp: InMsgs InErrors InCsumErrors InDestUnreachs InTimeExcds InParmProbs InSrcQuenchs "
	"InRedirects InEchos InEchoReps InTimestamps InTimestampReps InAddrMasks InAddrMaskReps "
	"OutMsgs OutErrors OutRateLimitGlobal OutRateLimitHost OutDestUnreachs OutTimeExcds "
	"OutParmProbs OutSrcQuenchs OutRedirects OutEchos OutEchoReps OutTimestamps "
	"OutTimestampReps OutAddrMasks OutAddrMaskReps\n"
	"Icmp: 1 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
	"IcmpMsg: InType3\n"
	"IcmpMsg: 1\n"
	"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets "
	"CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\n"
	"Tcp: 1 200 120000 -1 13 2 0 0 0 1551 856 0 0 0 0\n"
	"Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors "
	"IgnoredMulti MemErrors\n"
	"Udp: 27 0 0 28 0 0 0 0 0\n"
	"UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors "
	"IgnoredMulti MemErrors\n"
	"UdpLite: 0 0 0 0 0 0 0 0 0\n";

/* Both files into one snapshot, the way counters_read does it. */
static int parse_fixtures(struct counters *c, struct tl_err *err)
{
	c->count = 0;
	if (counters_parse(netstat_text, strlen(netstat_text), "netstat", c, err) != 0)
		return -1;
	return counters_parse(snmp_text, strlen(snmp_text), "snmp", c, err);
}

static int64_t value_of(const struct counters *c, const char *name)
{
	int64_t v = INT64_MIN;

	counters_get(c, name, &v);
	return v;
}

static void test_fixture_names(void)
{
	static struct counters c;
	struct tl_err err = { "" };

	CHECK(parse_fixtures(&c, &err) == 0);
	/* 135 TcpExt + 18 IpExt + 76 MPTcpExt + 20 Ip + 29 Icmp + 1 IcmpMsg + 15 Tcp + 9 Udp + 9 UdpLite. */
	CHECK(c.count == 312);
	CHECK_STR(c.items[0].name, "TcpExtSyncookiesSent");
	CHECK_STR(c.items[c.count - 1].name, "UdpLiteMemErrors");
	CHECK(value_of(&c, "TcpExtTW") == 12);
	CHECK(value_of(&c, "TcpExtListenOverflows") == 0);
	CHECK(value_of(&c, "TcpExtTCPPureAcks") == 16);
	CHECK(value_of(&c, "TcpExtTCPAODroppedIcmps") == 0);
	CHECK(value_of(&c, "IpExtInOctets") == 80205571);
	CHECK(value_of(&c, "IpExtOutMcastPkts") == 2);
	CHECK(value_of(&c, "MPTcpExtWinProbe") == 0);
	CHECK(value_of(&c, "IpDefaultTTL") == 64);
	CHECK(value_of(&c, "IcmpMsgInType3") == 1);
	CHECK(value_of(&c, "TcpMaxConn") == -1);
	CHECK(value_of(&c, "TcpActiveOpens") == 13);
	CHECK(value_of(&c, "TcpRtoMax") == 120000);
	CHECK(value_of(&c, "UdpInDatagrams") == 27);
	CHECK(value_of(&c, "UdpOutDatagrams") == 28);
}

static void test_unknown_names(void)
{
	static struct counters c;
	struct tl_err err = { "" };
	int64_t v = 42;

	CHECK(parse_fixtures(&c, &err) == 0);
	CHECK(counters_get(&c, "TcpExtNoSuchCounter", &v) == -1 && v == 42);
	/* Names are the prefix and field joined: neither part alone, nor with the colon. */
	CHECK(counters_get(&c, "ListenOverflows", &v) == -1);
	CHECK(counters_get(&c, "TcpExt:ListenOverflows", &v) == -1);
	CHECK(counters_get(&c, "", &v) == -1);
}

static void test_delta(void)
{
	static const char before_text[] = "TcpExt: ListenOverflows ListenDrops Wrapped\n"
					  "TcpExt: 5 7 18446744073709551615\n"
					  "Tcp: MaxConn CurrEstab\n"
					  "Tcp: -1 10\n";
	/* A different order and a counter that is new: the slow path of the lookup. */
	static const char after_text[] = "TcpExt: ListenDrops ListenOverflows Wrapped TW\n"
					 "TcpExt: 9 8 1 4\n"
					 "Tcp: MaxConn CurrEstab\n"
					 "Tcp: -1 6\n";
	static struct counters before, after, delta;
	struct tl_err err = { "" };

	before.count = 0;
	after.count = 0;
	CHECK(counters_parse(before_text, strlen(before_text), "before", &before, &err) == 0);
	CHECK(counters_parse(after_text, strlen(after_text), "after", &after, &err) == 0);
	CHECK(value_of(&before, "TcpExtWrapped") == -1);
	counters_delta(&before, &after, &delta);
	CHECK(delta.count == after.count);
	CHECK(value_of(&delta, "TcpExtListenOverflows") == 3);
	CHECK(value_of(&delta, "TcpExtListenDrops") == 2);
	CHECK(value_of(&delta, "TcpExtWrapped") == 2);
	CHECK(value_of(&delta, "TcpExtTW") == 4);
	CHECK(value_of(&delta, "TcpMaxConn") == 0);
	CHECK(value_of(&delta, "TcpCurrEstab") == -4);

	/* The same snapshot twice: every delta is zero. */
	CHECK(parse_fixtures(&before, &err) == 0);
	counters_delta(&before, &before, &delta);
	CHECK(delta.count == before.count);
	for (size_t i = 0; i < delta.count; i++)
		CHECK(delta.items[i].value == 0);
}

/* Parse text that must fail; the message must contain want. */
static int fails_with(const char *text, const char *want)
{
	static struct counters c;
	struct tl_err err = { "" };

	c.count = 0;
	if (counters_parse(text, strlen(text), "fixture", &c, &err) != -1)
		return 0;
	if (strstr(err.msg, want) == NULL) {
		printf("  message was: %s\n", err.msg);
		return 0;
	}
	return 1;
}

static void test_malformed(void)
{
	CHECK(fails_with("TcpExt: A B C\nTcpExt: 1 2\n", "fixture:2: 'TcpExt:' has 3 names (line 1) but 2 values"));
	CHECK(fails_with("Ip: A\nIp: 1\nTcp: A B\nTcp: 1 2 3\n", "fixture:4: 'Tcp:' has 2 names (line 3) but 3 values"));
	CHECK(fails_with("TcpExt: A B\nIpExt: 1 2\n", "fixture:2: values line 'IpExt:' does not follow"));
	CHECK(fails_with("TcpExt: A B\n", "fixture:1: names line 'TcpExt: A B' has no values line"));
	CHECK(fails_with("TcpExt: A B\n\nTcpExt: 1 2\n", "fixture:1: names line"));
	CHECK(fails_with("TcpExt: A B\nTcpExt: 1 2x\n", "fixture:2: value '2x' of TcpExtB is not an integer"));
	CHECK(fails_with("TcpExt: A\nTcpExt: -\n", "value '-' of TcpExtA"));
	CHECK(fails_with("TcpExt: A\nTcpExt: +1\n", "value '+1'"));
	CHECK(fails_with("TcpExt: A\nTcpExt: 99999999999999999999\n", "not an integer"));
	CHECK(fails_with("TcpExt A B\nTcpExt 1 2\n", "fixture:1: expected 'Prefix: ...', got 'TcpExt A B'"));
	CHECK(fails_with(": A\n: 1\n", "fixture:1: expected 'Prefix: ...'"));
	CHECK(fails_with("Tcp Ext: A\nTcp Ext: 1\n", "contains a blank"));
	CHECK(fails_with("TcpExt: AVeryLongCounterNameThatNoKernelWouldEverUseForAnythingAtAll0123\nTcpExt: 1\n",
			 "is longer than 63 bytes"));
}

static void test_lenient_layout(void)
{
	static const char layout[] = "\nTcp: A\tB\nTcp: 1  2\n\n\nUdp: C\nUdp: 3";
	static struct counters c;
	struct tl_err err = { "" };

	c.count = 0;
	/* Blank lines between pairs, tabs, a missing final newline, and empty text are all fine. */
	CHECK(counters_parse("", 0, "empty", &c, &err) == 0 && c.count == 0);
	CHECK(counters_parse(layout, strlen(layout), "t", &c, &err) == 0);
	CHECK(c.count == 3);
	CHECK(value_of(&c, "TcpB") == 2 && value_of(&c, "UdpC") == 3);
	/* A pair with no fields at all adds nothing. */
	CHECK(counters_parse("Ip:\nIp:\n", 8, "t", &c, &err) == 0 && c.count == 3);
}

static void test_capacity(void)
{
	static char text[COUNTERS_MAX * 12 + 64];
	static struct counters c;
	struct tl_err err = { "" };
	size_t len = 0;

	/* One more counter than a snapshot holds. */
	len += (size_t)snprintf(text + len, sizeof(text) - len, "X:");
	for (int i = 0; i <= COUNTERS_MAX; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, " C%d", i);
	len += (size_t)snprintf(text + len, sizeof(text) - len, "\nX:");
	for (int i = 0; i <= COUNTERS_MAX; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, " %d", i);
	CHECK(len < sizeof(text) - 1);
	c.count = 0;
	CHECK(counters_parse(text, len, "big", &c, &err) == -1);
	CHECK(strstr(err.msg, "more than 1024 counters") != NULL);
}

static void test_read_dir(void)
{
	static struct counters c;
	struct tl_err err = { "" };
	char dir[] = "/tmp/tcplab-counters.XXXXXX";
	char path[128];
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/netstat", dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f != NULL) {
		fputs(netstat_text, f);
		fclose(f);
	}
	/* snmp missing: the error names the file. */
	CHECK(counters_read(dir, &c, &err) == -1);
	CHECK(strstr(err.msg, "/snmp") != NULL);
	snprintf(path, sizeof(path), "%s/snmp", dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f != NULL) {
		fputs("Tcp: A B\nTcp: 1\n", f);
		fclose(f);
	}
	/* A malformed file: the message starts with its path and line. */
	CHECK(counters_read(dir, &c, &err) == -1);
	CHECK(strstr(err.msg, "/snmp:2: 'Tcp:' has 2 names") != NULL);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f != NULL) {
		fputs(snmp_text, f);
		fclose(f);
	}
	c.count = 999;
	CHECK(counters_read(dir, &c, &err) == 0);
	CHECK(c.count == 312);
	CHECK(value_of(&c, "TcpMaxConn") == -1);
	unlink(path);
	snprintf(path, sizeof(path), "%s/netstat", dir);
	unlink(path);
	rmdir(dir);
}

static void test_read_live(void)
{
	static struct counters c;
	struct tl_err err = { "" };

	/* This process's own namespace: works without root. */
	CHECK(counters_read("/proc/thread-self/net", &c, &err) == 0);
	CHECK(c.count > 200);
	CHECK(value_of(&c, "TcpMaxConn") == -1);
	CHECK(value_of(&c, "TcpExtListenOverflows") >= 0);
	CHECK(value_of(&c, "IpExtInOctets") >= 0);
	CHECK(counters_read_netns(-1, &c, &err) == 0 && value_of(&c, "TcpMaxConn") == -1);
	CHECK(counters_read("/nonexistent", &c, &err) == -1);
	CHECK(strstr(err.msg, "/nonexistent/netstat") != NULL);
}

int main(void)
{
	RUN(test_fixture_names);
	RUN(test_unknown_names);
	RUN(test_delta);
	RUN(test_malformed);
	RUN(test_lenient_layout);
	RUN(test_capacity);
	RUN(test_read_dir);
	RUN(test_read_live);
	return UNIT_END();
}
