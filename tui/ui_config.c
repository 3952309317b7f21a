// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * ui_config.c - load and save the settings file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tui/ui_config.h"

void tt_config_init(struct tt_config *c)
{
	memset(c, 0, sizeof(*c));
	c->sort = -1;
	c->desc = -1;
}

struct tt_config_cols *tt_config_add(struct tt_config *c, const char *key,
				     const struct tt_colset *set)
{
	struct tt_config_cols *t;

	if (c->ntab == TT_CONFIG_TABLES)
		return NULL;
	t = &c->tab[c->ntab++];
	t->key = key;
	t->set = set;
	t->ncols = 0;
	return t;
}

static struct tt_config_cols *cfg_table(struct tt_config *c, const char *key)
{
	for (int i = 0; i < c->ntab; i++)
		if (!strcmp(c->tab[i].key, key))
			return &c->tab[i];
	return NULL;
}

int tt_config_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n;

	if (xdg && *xdg == '/')
		n = snprintf(buf, len, "%s/tracetop/config", xdg);
	else if (home && *home)
		n = snprintf(buf, len, "%s/.config/tracetop/config", home);
	else
		return -ENOENT;
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static char *cfg_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
			 e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static void cfg_columns(struct tt_config_cols *t, char *v)
{
	char *tok, *save;

	t->ncols = 0;
	for (tok = strtok_r(v, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		int col = tt_colset_find(t->set, tok);
		bool dup = false;

		for (int i = 0; i < t->ncols; i++)
			dup |= t->cols[i] == col;
		if (col >= 0 && !dup && t->ncols < TT_COLS_MAX)
			t->cols[t->ncols++] = col;
	}
}

int tt_config_load(struct tt_config *c, const char *path, char *err,
		   size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int no = 0;

	err[0] = '\0';
	if (!f) {
		if (errno != ENOENT)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	while (fgets(line, sizeof(line), f)) {
		char *eq, *k, *v;

		no++;
		if (!strchr(line, '\n') && !feof(f)) {
			/* the rest would read as a line of its own */
			snprintf(err, errlen,
				 "%s:%d: line longer than %zu bytes", path, no,
				 sizeof(line) - 2);
			fclose(f);
			return -EINVAL;
		}
		k = cfg_trim(line);
		if (!*k || *k == '#')
			continue;
		eq = strchr(k, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected 'key = value'",
				 path, no);
			fclose(f);
			return -EINVAL;
		}
		*eq = '\0';
		k = cfg_trim(k);
		v = cfg_trim(eq + 1);
		if (cfg_table(c, k))
			cfg_columns(cfg_table(c, k), v);
		else if (!strcmp(k, "sort") && c->ntab)
			c->sort = tt_colset_find(c->tab[0].set, v);
		else if (!strcmp(k, "order"))
			c->desc = !strcmp(v, "desc")  ? 1
				  : !strcmp(v, "asc") ? 0
						      : -1;
		else if (!strcmp(k, "theme"))
			snprintf(c->theme, sizeof(c->theme), "%s", v);
	}
	if (ferror(f)) { /* a folder (EISDIR) or an I/O error: say so */
		int e = errno ? errno : EIO;

		snprintf(err, errlen, "%s: %s", path, strerror(e));
		fclose(f);
		return -e;
	}
	fclose(f);
	return 0;
}

static int cfg_mkdirs(char *path)
{
	/* create each missing folder of path's dirname, private */
	for (char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(path, 0700) && errno != EEXIST) {
			int e = errno;

			*s = '/';
			return -e;
		}
		*s = '/';
	}
	return 0;
}

static int cfg_write(int fd, const struct tt_config *c)
{
	FILE *f = fdopen(fd, "w");
	int rc;

	if (!f)
		return -errno;
	fprintf(f, "# tracetop settings, written by tracetop (F2 setup)\n");
	for (int t = 0; t < c->ntab; t++) {
		const struct tt_config_cols *tc = &c->tab[t];

		if (!tc->ncols)
			continue;
		fprintf(f, "%s = ", tc->key);
		for (int i = 0; i < tc->ncols; i++)
			fprintf(f, "%s%s", i ? "," : "",
				tc->set->cols[tc->cols[i]].name);
		fprintf(f, "\n");
	}
	if (c->ntab && c->sort >= 0 && c->sort < c->tab[0].set->ncols)
		fprintf(f, "sort = %s\n", c->tab[0].set->cols[c->sort].name);
	if (c->desc >= 0)
		fprintf(f, "order = %s\n", c->desc ? "desc" : "asc");
	if (c->theme[0])
		fprintf(f, "theme = %s\n", c->theme);
	rc = fflush(f) || fsync(fileno(f)) ? -errno : 0;
	if (fclose(f) && !rc)
		rc = -errno;
	return rc;
}

int tt_config_save(const struct tt_config *c, const char *path, char *err,
		   size_t errlen)
{
	char tmp[4096], dir[4096];
	struct stat st;
	int fd, rc;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "%s", path);
	rc = cfg_mkdirs(dir);
	if (rc) {
		snprintf(err, errlen, "settings not saved: mkdir for %s: %s",
			 path, strerror(-rc));
		return rc;
	}
	if (lstat(path, &st) == 0 &&
	    (!S_ISREG(st.st_mode) || st.st_uid != geteuid())) {
		snprintf(err, errlen,
			 "settings not saved: %s is not a regular file of "
			 "yours",
			 path);
		return -EPERM;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "settings not saved: create %s: %s", tmp,
			 strerror(-rc));
		return rc;
	}
	rc = cfg_write(fd, c);
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc) {
		unlink(tmp);
		snprintf(err, errlen, "settings not saved: write %s: %s", path,
			 strerror(-rc));
	}
	return rc;
}
