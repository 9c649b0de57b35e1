/* fuzz_plotdata: any bytes as the samples.csv and connections.csv of a results folder, read as the plots read them. */
#include <stdlib.h>

#include "input.h"
#include "report/plot_data.h"

/* The same bytes as both files: the first line is the header either way. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plot_samples s;
	struct plot_connects c;
	struct tl_err err;
	const char *path = fuzz_file("data.csv", data, size);

	if (plot_samples_load(path, 50, &s, &err) == 0) {
		if (s.count > 50 || s.count > s.read)
			abort();
		plot_samples_free(&s);
	}
	if (plot_connects_load(path, &c, &err) == 0) {
		if (c.count > c.total)
			abort();
		for (size_t i = 1; i < c.count; i++)
			if (c.connect_us[i - 1] > c.connect_us[i])
				abort();
		plot_connects_free(&c);
	}
	return 0;
}
