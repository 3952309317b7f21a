/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * columns.h - every table's columns as data (like htop's Process_fields[]):
 * one description per column - name (for -s and the settings file),
 * title, width, help (unit and kernel source, for the setup screen and the
 * man page), a getter that reads the figure from a row, and a formatter
 * that writes it in a cell. The figure is also what the table sorts by.
 *
 * A column set is one kind of row and its columns: processes (struct
 * tt_proc), the scheduler's view of them, syscalls (struct tt_sysc),
 * connections (struct tt_conn) and events (struct tt_event). The batch output,
 * the screen, its sort, search and selection, and the setup screen all read
 * these sets; adding a column is adding a row to a set's table.
 */
#ifndef TT_COLUMNS_H
#define TT_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model/snapshot.h"

#define TT_COLS_MAX 24 /* columns in a set, at most */

/* A figure as a getter reads it: a count, a measure or a text. */
struct tt_value {
	enum { TT_VAL_U64, TT_VAL_F64, TT_VAL_STR } kind;
	uint64_t u;
	double d;
	const char *s; /* in the row, or in buf */
	char buf[64];  /* a text made for the cell ("[::1]:443") */
};

struct tt_column {
	const char *name;  /* lower case, for -s and the settings file */
	const char *title; /* header cell */
	int width;	   /* cells; 0: the rest of the line */
	bool left;	   /* left-aligned (text) */
	bool desc;	   /* sorts largest first by default */
	const char *help;  /* unit and where the number comes from */
	/* the figure of row: what the cell shows and the sort compares */
	void (*get)(const void *row, struct tt_value *v);
	/* the figure as cell text, into buf (len >= 32) */
	void (*format)(const struct tt_value *v, char *buf, size_t len);
};

struct tt_colset {
	const char *name; /* "processes", "scheduler", "syscalls", ... */
	const struct tt_column *cols;
	int ncols;
	const int *defaults; /* shown unless configured, in screen order */
	int ndefaults;
	/* rows whose figures are equal, in an order that holds still */
	int (*tie)(const void *a, const void *b);
	/* what a selection follows across refreshes */
	uint64_t (*id)(const void *row);
	/* a search for needle (case-insensitive) finds row */
	bool (*match)(const void *row, const char *needle);
};

/* ---- processes (rows: struct tt_proc) ------------------------------------ */

enum tt_col {
	TT_COL_PID,
	TT_COL_PPID,
	TT_COL_USER,
	TT_COL_STATE,
	TT_COL_THREADS,
	TT_COL_RSS,
	TT_COL_CPU,
	TT_COL_ONCPU,
	TT_COL_SYSC,
	TT_COL_ERR,
	TT_COL_TOPSC,
	TT_COL_SCP99,
	TT_COL_TX,
	TT_COL_RX,
	TT_COL_CONN,
	TT_COL_RETR,
	TT_COL_RUNQ99,
	TT_COL_CSW,
	TT_COL_MIGR,
	TT_COL_COMM,
	TT_COL_CMD,
	TT_COL_MAX
};

/* its defaults: the columns of `top -b`-like output, and of the screen
 * unless configured */
extern const struct tt_colset tt_proc_cols;
extern const struct tt_column tt_columns[TT_COL_MAX]; /* its columns */

/* Case-insensitive substring of comm or command line. */
bool tt_proc_matches(const struct tt_proc *p, const char *needle);

/* ---- the scheduler's view of processes (rows: struct tt_proc) ------------ */

enum tt_sched_col {
	TT_SD_PID,
	TT_SD_ONCPU,
	TT_SD_CPU,
	TT_SD_RQ50,
	TT_SD_RQ99,
	TT_SD_CSW,
	TT_SD_VCSW,
	TT_SD_ICSW,
	TT_SD_MIGR,
	TT_SD_COMM,
	TT_SD_RUN, /* thread states: shares of its threads' time */
	TT_SD_RDY,
	TT_SD_SLP,
	TT_SD_BLK,
	TT_SD_MAX
};

extern const struct tt_colset tt_sched_cols;

/* ---- syscalls (rows: struct tt_sysc) ------------------------------------- */

enum tt_sc_col {
	TT_SC_NAME,
	TT_SC_RATE,
	TT_SC_ERR,
	TT_SC_AVG,
	TT_SC_P50,
	TT_SC_P99,
	TT_SC_TIME,
	TT_SC_COUNT,
	TT_SC_ERRORS,
	TT_SC_TOTAL,
	TT_SC_MAX
};

extern const struct tt_colset tt_sysc_cols;

/* ---- TCP connections (rows: struct tt_conn) ------------------------------ */

enum tt_conn_col {
	TT_CN_PID,
	TT_CN_COMM,
	TT_CN_LOCAL,
	TT_CN_REMOTE,
	TT_CN_STATE,
	TT_CN_TXR,
	TT_CN_RXR,
	TT_CN_TX,
	TT_CN_RX,
	TT_CN_RETR,
	TT_CN_RTT,
	TT_CN_CONNECT,
	TT_CN_MAX
};

extern const struct tt_colset tt_conn_cols;
/* the connections of one process: no PID or COMM, they are known */
extern const int tt_conn_cols_of_pid[];
extern const int tt_nconn_cols_of_pid;

/* ---- the profile's functions (rows: struct tt_pfunc) --------------------- */

enum tt_pf_col {
	TT_PF_SELF_PCT,
	TT_PF_TOTAL_PCT,
	TT_PF_SELF,
	TT_PF_TOTAL,
	TT_PF_MODULE,
	TT_PF_NAME,
	TT_PF_MAX
};

extern const struct tt_colset tt_pfunc_cols;

/* ---- events of the stream (rows: struct tt_event) ------------------------ */

enum tt_event_col {
	TT_EC_TIME,
	TT_EC_PID,
	TT_EC_TID,
	TT_EC_PPID,
	TT_EC_UID,
	TT_EC_COMM,
	TT_EC_KIND,
	TT_EC_DUR,
	TT_EC_RESULT,
	TT_EC_DETAIL,
	TT_EC_MAX
};

extern const struct tt_colset tt_event_cols;
/* Does ev's --trace line hold needle (case-insensitive; NULL or "": yes)? */
bool tt_event_matches(const struct tt_event *ev, const char *needle);

/* ---- any set ------------------------------------------------------------- */

/* The column of set by name or title, case-insensitive; -1 when unknown. */
int tt_colset_find(const struct tt_colset *set, const char *name);
/* The process table's column by name or title; -1 when unknown (-s). */
int tt_column_find(const char *name);

/* Cell text of column col of set for row. */
void tt_colset_cell(const struct tt_colset *set, int col, const void *row,
		    char *buf, size_t len);

/*
 * Sort rows of set by column col, descending if desc; rows of equal
 * figures by set->tie, so the order is stable across refreshes.
 */
void tt_colset_sort(const struct tt_colset *set, const void **rows, size_t n,
		    int col, bool desc);
/* The same for an array of processes, by a process-table column. */
void tt_sort_procs(const struct tt_proc **v, size_t n, enum tt_col col,
		   bool desc);

/* Formatters the sets share (and a view that draws a cell of its own). */
void tt_cell_uint(const struct tt_value *v, char *b, size_t n);
void tt_cell_count(const struct tt_value *v, char *b, size_t n);
void tt_cell_bytes(const struct tt_value *v, char *b, size_t n);
void tt_cell_pct(const struct tt_value *v, char *b, size_t n);
void tt_cell_ns(const struct tt_value *v, char *b, size_t n);	  /* 0: "-" */
void tt_cell_ns_all(const struct tt_value *v, char *b, size_t n); /* 0ns */
void tt_cell_time(const struct tt_value *v, char *b, size_t n);	  /* m:s */
void tt_cell_str(const struct tt_value *v, char *b, size_t n);

#endif
