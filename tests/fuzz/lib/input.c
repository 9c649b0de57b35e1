/* input: the input as a string or as a file in a private folder, for the fuzz targets. */
#include "input.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char folder[64];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_folder(void)
{
	if (folder[0] != '\0')
		nftw(folder, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

char *fuzz_cstring(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

const char *fuzz_file(const char *name, const uint8_t *data, size_t size)
{
	static char path[256];
	size_t done = 0;
	int fd;

	if (folder[0] == '\0') {
		const char *tmp = getenv("TMPDIR");

		snprintf(folder, sizeof(folder), "%s/tcplab-fuzz.XXXXXX", tmp != NULL && tmp[0] ? tmp : "/tmp");
		if (mkdtemp(folder) == NULL)
			abort();
		atexit(remove_folder);
	}
	snprintf(path, sizeof(path), "%s/%s", folder, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		abort();
	while (done < size) {
		ssize_t w = write(fd, data + done, size - done);

		if (w <= 0)
			abort();
		done += (size_t)w;
	}
	close(fd);
	return path;
}

const char *fuzz_split(char *text, char **head_out)
{
	size_t n = strcspn(text, "\n");

	*head_out = text;
	if (text[n] == '\0')
		return text + n;
	text[n] = '\0';
	return text + n + 1;
}

int fuzz_argv(const char *program, char *text, char **argv, int max)
{
	int argc = 0;
	char *p = text;

	argv[argc++] = (char *)program;
	while (argc <= max) {
		char *arg;

		p = (char *)fuzz_split(p, &arg);
		argv[argc++] = arg;
		if (*p == '\0')
			break;
	}
	argv[argc] = NULL;
	return argc;
}
