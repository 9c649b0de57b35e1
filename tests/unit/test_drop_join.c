/* test_drop_join: drops of raw/drops.csv marked on the ladder packets they were, and nothing else. */
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

#include "run/drop_join.h"

static const char ladders_json[] =
	"[{\"client\": \"198.18.0.2:40000\", \"server\": \"198.18.0.1:8080\", \"events\": ["
	"{\"t_us\": 1000000, \"arrive_us\": 1000010, \"from\": \"client\", \"kind\": \"SYN\", \"flags\": \"S\"},"
	"{\"t_us\": 1000020, \"arrive_us\": 1000030, \"from\": \"server\", \"kind\": \"SYN-ACK\", \"flags\": \"S.\"},"
	"{\"t_us\": 1000040, \"arrive_us\": 1000050, \"from\": \"client\", \"kind\": \"ACK\", \"flags\": \".\"},"
	"{\"t_us\": 2000040, \"arrive_us\": 2000050, \"from\": \"client\", \"kind\": \"ACK\", \"flags\": \".\"}]},"
	" {\"client\": \"198.18.0.2:40001\", \"server\": \"198.18.0.1:8080\", \"events\": ["
	"{\"t_us\": 1000000, \"arrive_us\": 1000010, \"from\": \"client\", \"kind\": \"SYN\", \"flags\": \"S\"}]}]";

static void test_marks_the_dropped_ack(void)
{
	char path[] = "/tmp/tcplab-test.dropjoin.XXXXXX";
	int fd = mkstemp(path);
	json_error_t jerr;
	json_t *ladders = json_loads(ladders_json, 0, &jerr);
	struct tl_err err;
	size_t marked = 0;
	FILE *f;

	CHECK(fd >= 0 && ladders != NULL);
	if (fd < 0 || ladders == NULL)
		return;
	f = fdopen(fd, "w");
	/* Start at 0.5 s wall: the first ACK (arrived 1.000050 s) dropped 20 us later; a SYN-ACK retransmission
	 * (not a drop), a drop of another connection's packet, and a drop with no packet near it. */
	fputs("time_us,side,event,reason,saddr,sport,daddr,dport,flags\n"
	      "500070,server,drop,TCP_LISTEN_OVERFLOW,198.18.0.2,40000,198.18.0.1,8080,A\n"
	      "500100,server,synack_retransmit,,198.18.0.1,8080,198.18.0.2,40000,SA\n"
	      "1500045,server,drop,QUEUE_PURGE,198.18.0.2,40000,198.18.0.1,8080,A\n"
	      "500080,server,drop,NO_SOCKET,198.18.0.9,40000,198.18.0.1,8080,A\n"
	      "900000,server,drop,TCP_LISTEN_OVERFLOW,198.18.0.2,40001,198.18.0.1,8080,S\n",
	      f);
	fclose(f);
	CHECK(drop_join_ladders(ladders, path, 500000, &marked, &err) == 0);
	CHECK(marked == 1);
	{
		json_t *events = json_object_get(json_array_get(ladders, 0), "events");
		json_t *drop = json_object_get(json_array_get(events, 2), "drop");

		CHECK(json_is_string(json_object_get(drop, "reason")) &&
		      strcmp(json_string_value(json_object_get(drop, "reason")), "TCP_LISTEN_OVERFLOW") == 0);
		CHECK(json_object_get(json_array_get(events, 3), "drop") == NULL);
		CHECK(json_object_get(json_array_get(events, 0), "drop") == NULL);
		CHECK(json_object_get(json_array_get(json_object_get(json_array_get(ladders, 1), "events"), 0),
				      "drop") == NULL);
	}
	unlink(path);
	CHECK(drop_join_ladders(ladders, path, 0, &marked, &err) == -1);
	json_decref(ladders);
}

int main(void)
{
	RUN(test_marks_the_dropped_ack);
	return UNIT_END();
}
