// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * theme_parse.c - theme files into struct tt_theme: element names,
 * colours and attributes from tables, errors with file and line. No
 * curses here, so the parser is unit-tested and fuzzed on its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "tui/theme_parse.h"

#define THEME_MAX_FILE ((size_t)64 * 1024)
#define THEME_MAX_LINE 512

const char *const tt_theme_el_names[TT_EL_MAX] = {
#define X(e, n, h) n,
	TT_THEME_ELEMENTS
#undef X
};

const char *const tt_theme_el_help[TT_EL_MAX] = {
#define X(e, n, h) h,
	TT_THEME_ELEMENTS
#undef X
};

static const char *const theme_colors[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char *name;
	unsigned bit;
} theme_attrs[] = {
	{ "none", 0 },
	{ "bold", TT_ATTR_BOLD },
	{ "dim", TT_ATTR_DIM },
	{ "reverse", TT_ATTR_REVERSE },
	{ "underline", TT_ATTR_UNDERLINE },
	{ "standout", TT_ATTR_STANDOUT },
	{ "italic", TT_ATTR_ITALIC },
	{ "blink", TT_ATTR_BLINK },
};

#define D TT_COLOR_DEFAULT
#define B TT_ATTR_BOLD

/* the dark default; themes/default.theme spells out the same values */
static const struct tt_theme_style theme_dark[TT_EL_MAX] = {
	[TT_EL_NORMAL] = { D, D, 0 },	    [TT_EL_TAB] = { 7, 4, 0 },
	[TT_EL_TAB_ACTIVE] = { 0, 6, B },   [TT_EL_TITLE] = { 6, D, B },
	[TT_EL_LABEL] = { 6, D, 0 },	    [TT_EL_VALUE] = { D, D, B },
	[TT_EL_WARN] = { 1, D, B },	    [TT_EL_HEADER] = { 0, 2, 0 },
	[TT_EL_HEADER_SORT] = { 0, 6, B },  [TT_EL_SELECTED] = { 0, 6, 0 },
	[TT_EL_TAGGED] = { 3, D, B },	    [TT_EL_DIM] = { D, D, TT_ATTR_DIM },
	[TT_EL_TREE] = { 6, D, 0 },	    [TT_EL_BAR] = { 2, D, 0 },
	[TT_EL_MARK] = { 3, D, B },	    [TT_EL_SPARK] = { 2, D, 0 },
	[TT_EL_HEAT1] = { 4, D, 0 },	    [TT_EL_HEAT2] = { 6, D, 0 },
	[TT_EL_HEAT3] = { 3, D, 0 },	    [TT_EL_HEAT4] = { 1, D, B },
	[TT_EL_FLAME] = { 0, 3, 0 },	    [TT_EL_FLAME_ALT] = { 7, 1, 0 },
	[TT_EL_FLAME_KERNEL] = { 7, 4, 0 }, [TT_EL_KEY] = { D, D, B },
	[TT_EL_KEYBAR] = { 0, 6, 0 },	    [TT_EL_STATUS] = { 3, D, B },
	[TT_EL_ERROR] = { 7, 1, B },
};

#define R TT_ATTR_REVERSE

/* attributes only, for --no-color, NO_COLOR and terminals without colour */
static const struct tt_theme_style theme_mono[TT_EL_MAX] = {
	[TT_EL_NORMAL] = { D, D, 0 },
	[TT_EL_TAB] = { D, D, 0 },
	[TT_EL_TAB_ACTIVE] = { D, D, R | B },
	[TT_EL_TITLE] = { D, D, B },
	[TT_EL_LABEL] = { D, D, 0 },
	[TT_EL_VALUE] = { D, D, B },
	[TT_EL_WARN] = { D, D, B },
	[TT_EL_HEADER] = { D, D, R },
	[TT_EL_HEADER_SORT] = { D, D, R | B | TT_ATTR_UNDERLINE },
	[TT_EL_SELECTED] = { D, D, R },
	[TT_EL_TAGGED] = { D, D, B },
	[TT_EL_DIM] = { D, D, TT_ATTR_DIM },
	[TT_EL_TREE] = { D, D, 0 },
	[TT_EL_BAR] = { D, D, 0 },
	[TT_EL_MARK] = { D, D, B },
	[TT_EL_SPARK] = { D, D, 0 },
	[TT_EL_HEAT1] = { D, D, TT_ATTR_DIM },
	[TT_EL_HEAT2] = { D, D, 0 },
	[TT_EL_HEAT3] = { D, D, 0 },
	[TT_EL_HEAT4] = { D, D, B },
	[TT_EL_FLAME] = { D, D, TT_ATTR_UNDERLINE },
	[TT_EL_FLAME_ALT] = { D, D, TT_ATTR_UNDERLINE | B },
	[TT_EL_FLAME_KERNEL] = { D, D, TT_ATTR_UNDERLINE | TT_ATTR_DIM },
	[TT_EL_KEY] = { D, D, B },
	[TT_EL_KEYBAR] = { D, D, R },
	[TT_EL_STATUS] = { D, D, B },
	[TT_EL_ERROR] = { D, D, R | B },
};

#undef D
#undef B
#undef R

void tt_theme_builtin(struct tt_theme *t, bool mono)
{
	/* cppcheck-suppress ctuuninitvar ; t is written here, not read */
	snprintf(t->name, sizeof(t->name), "%s", mono ? "mono" : "default");
	memcpy(t->el, mono ? theme_mono : theme_dark, sizeof(t->el));
}

static int theme_err(char *err, size_t len, const char *file, int line,
		     const char *fmt, const char *arg)
{
	char why[160];

	snprintf(why, sizeof(why), fmt, arg);
	if (line > 0)
		snprintf(err, len, "%s:%d: %s", file, line, why);
	else
		snprintf(err, len, "%s: %s", file, why);
	return -EINVAL;
}

/* a colour word; -1 when it is none of ours */
static int theme_color(const char *w, short *out)
{
	const char *base = w;
	int bright = 0;
	char *end;
	long n;

	if (!strcasecmp(w, "default") || !strcmp(w, "-")) {
		*out = TT_COLOR_DEFAULT;
		return 0;
	}
	if (w[0] >= '0' && w[0] <= '9') {
		errno = 0;
		n = strtol(w, &end, 10);
		if (*end || errno || n > 255)
			return -1;
		*out = (short)n;
		return 0;
	}
	if (!strncasecmp(w, "bright-", 7)) {
		base = w + 7;
		bright = 8;
	}
	for (size_t i = 0; i < sizeof(theme_colors) / sizeof(*theme_colors);
	     i++)
		if (!strcasecmp(base, theme_colors[i])) {
			*out = (short)(i + bright);
			return 0;
		}
	return -1;
}

static int theme_attr(char *w, unsigned *out)
{
	char *tok, *save;

	/* "bold,underline" and "bold+underline" read like two words */
	for (tok = strtok_r(w, ",+", &save); tok;
	     tok = strtok_r(NULL, ",+", &save)) {
		size_t i, n = sizeof(theme_attrs) / sizeof(*theme_attrs);

		for (i = 0; i < n; i++)
			if (!strcasecmp(tok, theme_attrs[i].name))
				break;
		if (i == n)
			return -1;
		/* cppcheck-suppress arrayIndexOutOfBounds ; i < n here */
		*out |= theme_attrs[i].bit;
	}
	return 0;
}

static int theme_element(const char *w)
{
	for (int i = 0; i < TT_EL_MAX; i++)
		if (!strcasecmp(w, tt_theme_el_names[i]))
			return i;
	return -1;
}

static int theme_line(struct tt_theme *t, char *s, const char *file, int line,
		      char *err, size_t errlen)
{
	char *words[16], *save, *eq;
	struct tt_theme_style st = { 0 };
	int n = 0, el;

	eq = strchr(s, '=');
	if (!eq)
		return theme_err(err, errlen, file, line,
				 "expected 'name = fg bg attributes'%s", "");
	if (eq == s) /* s starts at the first non-blank */
		return theme_err(err, errlen, file, line,
				 "missing element name before '='%s", "");
	*eq = ' ';
	for (char *w = strtok_r(s, " \t\r", &save); w;
	     w = strtok_r(NULL, " \t\r", &save)) {
		if (n == 16)
			return theme_err(err, errlen, file, line,
					 "too many words%s", "");
		words[n++] = w;
	}
	if (n == 0)
		return theme_err(err, errlen, file, line,
				 "missing element name before '='%s", "");
	if (!strcasecmp(words[0], "format")) {
		if (n != 2 || strcmp(words[1], "1"))
			return theme_err(err, errlen, file, line,
					 "unsupported format '%s' (this "
					 "tracetop reads format 1)",
					 n > 1 ? words[1] : "");
		return 0;
	}
	el = theme_element(words[0]);
	if (el < 0)
		return theme_err(err, errlen, file, line,
				 "unknown element '%s'", words[0]);
	if (n < 3)
		return theme_err(err, errlen, file, line,
				 n < 2 ? "missing foreground and background "
					 "colours%s"
				       : "missing background colour%s",
				 "");
	if (theme_color(words[1], &st.fg))
		return theme_err(err, errlen, file, line,
				 "unknown colour '%s' (a name, 0..255 or "
				 "default)",
				 words[1]);
	if (theme_color(words[2], &st.bg))
		return theme_err(err, errlen, file, line,
				 "unknown colour '%s' (a name, 0..255 or "
				 "default)",
				 words[2]);
	for (int i = 3; i < n; i++) {
		char copy[64];

		snprintf(copy, sizeof(copy), "%s", words[i]);
		if (theme_attr(words[i], &st.attrs))
			return theme_err(err, errlen, file, line,
					 "unknown attribute '%s'", copy);
	}
	t->el[el] = st;
	return 0;
}

int tt_theme_parse(struct tt_theme *t, const char *text, const char *file,
		   char *err, size_t errlen)
{
	const char *p = text;
	int line = 0;

	while (*p) {
		char buf[THEME_MAX_LINE], *hash, *s;
		size_t n = strcspn(p, "\n");

		line++;
		if (n >= sizeof(buf))
			return theme_err(err, errlen, file, line,
					 "line longer than 511 characters%s",
					 "");
		memcpy(buf, p, n);
		buf[n] = '\0';
		p += n + (p[n] == '\n');
		hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		for (s = buf; *s == ' ' || *s == '\t' || *s == '\r'; s++)
			;
		if (!*s)
			continue;
		if (theme_line(t, s, file, line, err, errlen))
			return -EINVAL;
	}
	return 0;
}

/* -errno, never 0: the caller reads the text on 0 */
static int neg_errno(void)
{
	int e = -errno;

	return e < 0 ? e : -EIO;
}

static int theme_read(const char *path, char **text)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return neg_errno();
	*text = malloc(THEME_MAX_FILE + 1);
	if (!*text) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(*text, 1, THEME_MAX_FILE + 1, f);
	if (ferror(f)) { /* a folder (EISDIR) or an I/O error: not empty */
		int e = neg_errno();

		fclose(f);
		free(*text);
		return e;
	}
	fclose(f);
	if (n > THEME_MAX_FILE) {
		free(*text);
		return -EFBIG;
	}
	(*text)[n] = '\0';
	return 0;
}

int tt_theme_load(struct tt_theme *t, const char *name, const char *dir,
		  char *err, size_t errlen)
{
	char path[4096], *text = NULL;
	int rc = -ENOENT;

	tt_theme_builtin(t, false);
	if (strchr(name, '/')) {
		snprintf(path, sizeof(path), "%s", name);
		rc = theme_read(path, &text);
	} else if (*name && !strchr(name, '.')) {
		/* no dots: a name never walks out of the theme folders */
		/* installed themes first; ./themes serves a source tree */
		snprintf(path, sizeof(path), "%s/%s.theme", dir, name);
		rc = theme_read(path, &text);
		if (rc == -ENOENT) {
			snprintf(path, sizeof(path), "themes/%s.theme", name);
			rc = theme_read(path, &text);
		}
	}
	if (rc == -ENOENT &&
	    (!strcmp(name, "default") || !strcmp(name, "mono"))) {
		tt_theme_builtin(t, !strcmp(name, "mono"));
		return 0;
	}
	if (rc == -ENOENT && !strchr(name, '/')) {
		snprintf(err, errlen,
			 "theme %s: not found in %s or ./themes; using default",
			 name, dir);
		return rc;
	}
	if (rc) {
		snprintf(err, errlen, "theme %s: %s; using default", path,
			 rc == -EFBIG ? "larger than 64 KiB" : strerror(-rc));
		return rc;
	}
	snprintf(t->name, sizeof(t->name), "%s", name);
	rc = tt_theme_parse(t, text, path, err, errlen);
	free(text);
	if (rc) {
		size_t used = strlen(err);

		snprintf(err + used, errlen - used, "; using default");
		tt_theme_builtin(t, false);
	}
	return rc;
}
