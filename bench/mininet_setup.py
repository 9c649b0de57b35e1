#!/usr/bin/python3
"""mininet_setup: time Mininet's two-host set-up + tear-down (build, start, stop), as bench/lab.sh compares it.

Usage: mininet_setup.py ROUNDS
Run it inside a network namespace of its own (bench/lab.sh uses unshare --net): the bridge and the
switch ends of the links then never appear on the host. Prints one line per topology:
  <topology> rounds N median_ms M p90_ms P min_ms A max_ms B
"""
import math
import sys
import time

from mininet.log import setLogLevel
from mininet.net import Mininet
from mininet.nodelib import LinuxBridge
from mininet.topo import SingleSwitchTopo, Topo


class TwoHostsOneLink(Topo):
    "Two hosts joined by one veth pair and nothing else: the shape of tcplab's lab."

    def build(self):  # pylint: disable=arguments-differ
        self.addLink(self.addHost('h1'), self.addHost('h2'))


def nearest_rank(sorted_ms, p):
    "The nearest-rank percentile, as common/stats.c computes it for tcplab's numbers."
    rank = max(1, math.ceil(p / 100.0 * len(sorted_ms)))
    return sorted_ms[rank - 1]


def check_works(make_topo):
    "One untimed round that pings h1 <-> h2, so the timed rounds build a network that carries packets."
    net = Mininet(topo=make_topo(), switch=LinuxBridge, controller=None, ipBase='198.18.0.0/24')
    net.start()
    try:
        h1, h2 = net.get('h1', 'h2')
        # A bridge port passes frames once its carrier is up, a few tens of milliseconds after start().
        for _ in range(10):
            if ' 0% packet loss' in h1.cmd('ping -c 1 -W 1', h2.IP()):
                return True
            time.sleep(0.2)
        return False
    finally:
        net.stop()


def time_rounds(make_topo, rounds):
    "Milliseconds of each build + start + stop of a fresh network, sorted."
    spent_ms = []
    for _ in range(rounds):
        start = time.monotonic()
        # 198.18.0.0/15 is the only range the lab uses; Mininet's default is 10.0.0.0/8.
        net = Mininet(topo=make_topo(), switch=LinuxBridge, controller=None, ipBase='198.18.0.0/24')
        net.start()
        net.stop()
        spent_ms.append((time.monotonic() - start) * 1000.0)
    return sorted(spent_ms)


def main():
    if len(sys.argv) != 2 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        print('usage: mininet_setup.py ROUNDS', file=sys.stderr)
        return 2
    rounds = int(sys.argv[1])
    setLogLevel('error')
    # Mininet.init() raises host-wide limits (fs.file-max, kernel.pty.max) on first use; a benchmark
    # must not change the host, and two hosts need none of it.
    Mininet.inited = True
    topologies = (('single,2 (LinuxBridge)', lambda: SingleSwitchTopo(2)),
                  ('two hosts, one link', TwoHostsOneLink))
    for name, make_topo in topologies:
        if not check_works(make_topo):
            print('%s: h1 and h2 cannot ping each other' % name, file=sys.stderr)
            return 1
        spent_ms = time_rounds(make_topo, rounds)
        print('%s: rounds %d median_ms %.1f p90_ms %.1f min_ms %.1f max_ms %.1f' % (
            name, rounds, nearest_rank(spent_ms, 50), nearest_rank(spent_ms, 90), spent_ms[0], spent_ms[-1]))
    return 0


if __name__ == '__main__':
    sys.exit(main())
