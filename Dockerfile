# Dockerfile: tcplab in containers. The build stage runs the project's Makefile; the runtime stage keeps the
# programs, the scenarios and profiles, iproute2 (ss, nstat) and the runtime libraries, nothing else.
# Without a registry: docker/build-base.sh, then docker build --network=host --build-arg BASE=tcplab-base:bookworm .
ARG BASE=debian:bookworm

FROM ${BASE} AS build
ENV DEBIAN_FRONTEND=noninteractive
# What the Makefile's build needs (its DEB_PACKAGES also lists tools for tests and reports that no
# image needs); a layer of its own, so a change to the sources does not download the compiler again. The drop
# tracer's BPF object is built by clang-14 and bpftool from the building kernel's BTF (/sys/kernel/btf/vmlinux).
RUN apt-get update -qq \
	&& apt-get install -y -qq --no-install-recommends gcc make pkg-config libc6-dev libcurl4-openssl-dev \
		libmicrohttpd-dev libinih-dev libjansson-dev libxml2-dev libpcap-dev libhttp-parser-dev libnetfilter-queue-dev \
		clang-14 llvm-14 bpftool libbpf-dev >/dev/null \
	&& rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Makefile Makefile
COPY common/ common/
COPY server/ server/
COPY client/ client/
COPY lab/ lab/
COPY sysctl/ sysctl/
COPY docker/lab-entry.sh docker/lab-entry.sh
RUN make -j"$(nproc)" BUILD=/build all \
	&& make BUILD=/build install PREFIX=/usr/local DESTDIR=/out \
	&& install -m 0755 lab/run-suite.sh /out/usr/local/share/tcplab/lab/run-suite.sh \
	&& install -m 0644 lab/labs.txt /out/usr/local/share/tcplab/lab/labs.txt \
	&& install -m 0755 docker/lab-entry.sh /out/usr/local/bin/tcplab-lab

FROM ${BASE}
ENV DEBIAN_FRONTEND=noninteractive
# iproute2 brings ss and nstat (and setcap, through libcap2-bin); the libraries are what the programs link
# (libxml2: tcplab's JUnit files); jq gives make lab's closing table its key figures; gnuplot-nox draws
# report.html's charts, so runs in containers come with their report like runs in namespaces.
RUN apt-get update -qq \
	&& apt-get install -y -qq --no-install-recommends iproute2 libcurl4 libhttp-parser2.9 libmicrohttpd12 libinih1 libjansson4 libxml2 libpcap0.8 libbpf1 libnetfilter-queue1 jq gnuplot-nox >/dev/null \
	&& rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
	&& groupadd --system --gid 10001 tcplab \
	&& useradd --system --uid 10001 --gid tcplab --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin tcplab \
	&& groupadd --system --gid 10002 tcplab-run \
	&& useradd --system --uid 10002 --gid tcplab-run --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin tcplab-run \
	&& install -d -o tcplab -g tcplab -m 0770 /run/tcplab /run/tcplab-server /run/tcplab-client \
	&& install -d /run/tcplab-sysctl/net
COPY --from=build /out/ /
# The agents run as tcplab, not root: CAP_NET_ADMIN on the agent binary alone lets it write its own
# namespace's net.* sysctls through the /proc/sys/net view compose.yaml mounts, add the SYN-flood lab's
# routes and destroy the sockets an earlier run left. CAP_NET_RAW is lent to a SYN-flood client and to the
# packet recorder (tcplab-capture) only, never held by the agent's own threads. CAP_SETUID and CAP_SETGID only
# let a forked child become the programs' user (tcplab-run, --program-user) before it executes a program;
# CAP_KILL lets the agent stop those programs (they are not its uid).
# Permitted, not effective: the agent raises CAP_NET_ADMIN itself, so it also starts where the bounding set
# lacks another of them.
RUN setcap cap_kill,cap_net_admin,cap_net_raw,cap_setuid,cap_setgid=p /usr/local/bin/tcplab-agent
WORKDIR /usr/local/share/tcplab
# Not root by default; compose.yaml sets each service's user (the lab service's group opens the agents' sockets).
USER tcplab
ENTRYPOINT ["/usr/local/bin/tcplab-lab"]
CMD ["suite"]
