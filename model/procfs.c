// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * procfs.c - small, allocation-free readers of /proc files.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "model/procfs.h"

static long page_size;

/* Read a whole small file; returns bytes read or -1. */
static ssize_t slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return n;
}

static void proc_path(char *p, size_t len, const char *root, uint32_t tgid,
		      uint32_t pid, const char *file)
{
	if (tgid)
		snprintf(p, len, "%s/%u/task/%u/%s", root, tgid, pid, file);
	else
		snprintf(p, len, "%s/%u/%s", root, pid, file);
}

bool tt_procfs_read_stat(const char *root, uint32_t tgid, uint32_t pid,
			 struct tt_procinfo *o)
{
	char path[96], buf[1024], *p, *end;
	unsigned long long f[52];
	int n = 0;

	proc_path(path, sizeof(path), root, tgid, pid, "stat");
	if (slurp(path, buf, sizeof(buf)) <= 0)
		return false;
	/* comm may hold spaces and parentheses: it ends at the last ')' */
	p = strchr(buf, '(');
	end = strrchr(buf, ')');
	if (!p || !end || end < p || !end[1])
		return false;
	memset(o, 0, sizeof(*o));
	o->pid = pid;
	snprintf(o->comm, sizeof(o->comm), "%.*s", (int)(end - p - 1), p + 1);
	o->state = end[2];
	/* fields from 4 (ppid) on, numbered as in proc(5) */
	for (p = end + 3; *p && n < 52;) {
		f[n + 4] = strtoull(p, &end, 10);
		if (end == p)
			break;
		n++;
		p = end;
		while (*p == ' ')
			p++;
		if (n + 4 >= 52)
			break;
	}
	if (n < 21) /* through rss (field 24) */
		return false;
	if (!page_size)
		page_size = sysconf(_SC_PAGESIZE);
	o->ppid = (uint32_t)f[4];
	o->cpu_ticks = f[14] + f[15];
	o->threads = (uint32_t)f[20];
	o->starttime = (uint32_t)f[22];
	o->rss_bytes = f[24] * (uint64_t)page_size;
	return true;
}

bool tt_procfs_read(const char *root, uint32_t tgid, uint32_t pid,
		    struct tt_procinfo *o)
{
	char path[96], buf[1024], *p;

	if (!tt_procfs_read_stat(root, tgid, pid, o))
		return false;
	proc_path(path, sizeof(path), root, tgid, pid, "status");
	if (slurp(path, buf, sizeof(buf)) > 0 && (p = strstr(buf, "\nUid:")))
		o->uid = (uint32_t)strtoul(p + 5, NULL, 10);
	return true;
}

bool tt_procfs_cmdline(const char *root, uint32_t pid, char *buf, size_t len)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%u/cmdline", root, pid);
	n = slurp(path, buf, len);
	if (n < 0) {
		buf[0] = 0;
		return false;
	}
	while (n > 0 && buf[n - 1] == 0)
		n--;
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == 0 || !isprint((unsigned char)buf[i]))
			buf[i] = ' ';
	buf[n] = 0;
	return true;
}

bool tt_procfs_cgroup(const char *root, uint32_t pid, char *buf, size_t len)
{
	char path[64], raw[1024], *line, *save, *first = NULL;

	snprintf(path, sizeof(path), "%s/%u/cgroup", root, pid);
	buf[0] = 0;
	if (slurp(path, raw, sizeof(raw)) <= 0)
		return false;
	for (line = strtok_r(raw, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *c = strchr(line, ':');

		c = c ? strchr(c + 1, ':') : NULL;
		if (!c)
			continue;
		if (!strncmp(line, "0::", 3)) { /* the unified hierarchy */
			snprintf(buf, len, "%s", c + 1);
			return true;
		}
		if (!first)
			first = c + 1;
	}
	if (first)
		snprintf(buf, len, "%s", first);
	return first != NULL;
}

static bool numeric(const char *s, uint32_t *v)
{
	char *end;
	unsigned long n;

	if (!isdigit((unsigned char)*s))
		return false;
	n = strtoul(s, &end, 10);
	*v = (uint32_t)n;
	return !*end;
}

int tt_procfs_list(const char *root, bool threads,
		   void (*cb)(void *ctx, uint32_t tgid, uint32_t pid),
		   void *ctx)
{
	DIR *d = opendir(root);
	struct dirent *e;
	int count = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		uint32_t tgid, tid;
		char path[64];
		DIR *t;
		struct dirent *te;

		if (!numeric(e->d_name, &tgid))
			continue;
		if (!threads) {
			cb(ctx, 0, tgid);
			count++;
			continue;
		}
		snprintf(path, sizeof(path), "%s/%u/task", root, tgid);
		t = opendir(path);
		if (!t)
			continue; /* gone meanwhile */
		while ((te = readdir(t)))
			if (numeric(te->d_name, &tid)) {
				cb(ctx, tgid, tid);
				count++;
			}
		closedir(t);
	}
	closedir(d);
	return count;
}

/* uid -> name: a handful of users per machine, kept for the whole run */
static struct {
	uint32_t uid;
	char name[32];
} users[64];
static size_t nusers;

const char *tt_procfs_user(uint32_t uid)
{
	struct passwd *pw;
	size_t i;

	for (i = 0; i < nusers; i++)
		if (users[i].uid == uid)
			return users[i].name;
	i = nusers < 64 ? nusers++ : uid % 64;
	users[i].uid = uid;
	pw = getpwuid(uid);
	if (pw)
		snprintf(users[i].name, sizeof(users[i].name), "%s",
			 pw->pw_name);
	else
		snprintf(users[i].name, sizeof(users[i].name), "%u", uid);
	return users[i].name;
}
