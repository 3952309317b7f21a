// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * profiler.c - open, configure, load and attach the sampler (one
 * cpu-clock perf event per CPU); drain both ring buffers; set the
 * off-CPU target in the sched object's offcpu_cfg map.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/collector_priv.h"
#include "bpf/faults.h"
#include "bpf/load_gate.h"
#include "bpf/profiler.h"
#include "profile.skel.h"

/* the off-CPU configuration, as offcpu.bpf.h reads it */
struct offcpu_cfg {
	__u32 tgid;
	__u32 gen; /* changes with every target: old waits are ignored */
};

struct tt_profiler {
	struct tt_profile *skel;
	struct bpf_link **links;
	int *pfds;
	int ncpus;
	unsigned hz;
	struct ring_buffer *rb;
	/* a poll waits on both rings and on kick, which another thread
	 * writes to have the records read now rather than at the timeout */
	int epfd, kick;
	int cfg_fd;   /* sched's offcpu_cfg, or -1 */
	int odrop_fd; /* sched's offcpu_drops (its losses), or -1 */
	uint32_t cfg_gen;
	struct tt_unw_row *rows; /* unw_rows, mapped; NULL: unwinding off */
	uint32_t nrows;
	uint32_t newest_prog; /* the newest BPF program's id seen */
	char status[192], off_status[192];
	const struct tt_profiler_sink *sink; /* during a poll */
};

/* an unwound sample is as long as its addresses */
static bool urec_fits(const struct tt_prof_hdr *h, size_t len)
{
	return h->nupcs <= TT_UNW_FRAMES && h->nkips <= TT_PROF_KFRAMES &&
	       len >= sizeof(*h) + 8 * ((size_t)h->nupcs + h->nkips);
}

static int on_rec(void *ctx, void *data, size_t len)
{
	struct tt_profiler *p = ctx;
	const struct tt_prof_hdr *h = data;

	if (len < sizeof(*h) || !p->sink || !p->sink->on_record)
		return 0;
	if (h->kind == TT_REC_BLOCK)
		p->sink->on_record(p->sink->ctx, h, NULL);
	else if (h->kind == TT_REC_USAMPLE ? urec_fits(h, len)
					   : len >= sizeof(struct tt_prof_rec))
		p->sink->on_record(p->sink->ctx, h, data);
	return 0;
}

static int perf_open(unsigned hz, int cpu)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	a.freq = 1;
	a.sample_freq = hz;
	return (int)syscall(SYS_perf_event_open, &a, -1, cpu, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

/*
 * Room for a quarter of a second of samples from every CPU (512 KiB to
 * 64 MiB): the kernel wakes the draining thread when the ring is a
 * quarter full, and it reads it within microseconds, unless the machine
 * keeps it from a CPU; then the samples that do not fit are counted
 * lost. The ring is mapped twice into tracetop (for wrap-around), so it
 * counts twice in its RSS.
 */
static uint32_t ring_bytes(unsigned hz, int ncpus)
{
	uint64_t want =
		(uint64_t)hz * (uint64_t)ncpus * sizeof(struct tt_prof_rec) / 4;
	uint32_t b = 512u << 10;

	while (b < want && b < (64u << 20))
		b <<= 1;
	return b;
}

/* The rows array, written in place: no syscall per module. Without it
 * (mmap refused) the kernel is never given tables and copies stacks. */
static void rows_map(struct tt_profiler *p, uint32_t n)
{
	size_t len = (size_t)n * sizeof(struct tt_unw_row);
	void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
		       bpf_map__fd(p->skel->maps.unw_rows), 0);

	if (m == MAP_FAILED)
		return;
	p->rows = m;
	p->nrows = n;
}

static int sampler_load(struct tt_profiler *p, const struct tt_profiler_opts *o)
{
	struct tt_profile *s = tt_profile__open();
	int err;

	if (!s)
		return -errno;
	p->skel = s;
	for (unsigned i = 0; i < o->npids; i++)
		s->rodata->filter_pids[i] = o->pids[i];
	s->rodata->n_filter_pids = o->npids;
	s->rodata->filter_uid = o->uid < 0 ? (__u32)-1 : (__u32)o->uid;
	s->rodata->per_thread = o->per_thread;
	s->rodata->self_tgid = o->self_tgid;
	s->rodata->unw_on = o->unw_rows > 0;
	bpf_map__set_max_entries(s->maps.samples, ring_bytes(o->hz, p->ncpus));
	bpf_map__set_max_entries(s->maps.unw_rows,
				 o->unw_rows ? o->unw_rows : 1);
	tt_load_gate_enter();
	err = tt_profile__load(s);
	tt_load_gate_leave();
	if (err)
		return err;
	if (o->unw_rows)
		rows_map(p, o->unw_rows);
	return 0;
}

static int sampler_attach(struct tt_profiler *p)
{
	struct tt_profile *s = p->skel;
	int attached = 0, err;

	p->links = calloc((size_t)p->ncpus, sizeof(*p->links));
	p->pfds = malloc((size_t)p->ncpus * sizeof(*p->pfds));
	if (!p->links || !p->pfds)
		return -ENOMEM;
	err = -ENODEV;
	for (int cpu = 0; cpu < p->ncpus; cpu++) {
		p->pfds[cpu] = tt_faults_missing("tt_prof_sample")
				       ? (errno = ENOENT, -1)
				       : perf_open(p->hz, cpu);
		if (p->pfds[cpu] < 0) {
			/* an offline CPU has none; others must */
			if (errno != ENODEV)
				err = -errno;
			continue;
		}
		p->links[cpu] = bpf_program__attach_perf_event(
			s->progs.tt_prof_sample, p->pfds[cpu]);
		if (!p->links[cpu]) {
			err = -errno;
			continue;
		}
		attached++;
	}
	if (!attached)
		return err;
	p->rb = ring_buffer__new(bpf_map__fd(s->maps.samples), on_rec, p, NULL);
	return p->rb ? 0 : -errno;
}

static void offcpu_find(struct tt_profiler *p, struct tt_collector *c)
{
	int rfd = c ? tt_collector_map_fd(c, TT_SYS_SCHED, "offcpu_rb") : -1;

	p->cfg_fd = c ? tt_collector_map_fd(c, TT_SYS_SCHED, "offcpu_cfg") : -1;
	p->odrop_fd =
		c ? tt_collector_map_fd(c, TT_SYS_SCHED, "offcpu_drops") : -1;
	if (rfd < 0 || p->cfg_fd < 0) {
		p->cfg_fd = -1;
		snprintf(p->off_status, sizeof(p->off_status),
			 "off: needs the scheduler probes (%s)",
			 c ? tt_collector_status(c, TT_SYS_SCHED) : "none");
		return;
	}
	if (p->rb ? ring_buffer__add(p->rb, rfd, on_rec, p)
		  : !(p->rb = ring_buffer__new(rfd, on_rec, p, NULL))) {
		snprintf(p->off_status, sizeof(p->off_status),
			 "off: ring buffer: %s", strerror(errno));
		p->cfg_fd = -1;
		return;
	}
	snprintf(p->off_status, sizeof(p->off_status), "on");
}

/* one epoll set: the rings' own (libbpf's, for both) and the kick */
static int waiter_new(struct tt_profiler *p)
{
	struct epoll_event k = { .events = EPOLLIN }, r = k;

	p->epfd = epoll_create1(EPOLL_CLOEXEC);
	p->kick = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (p->epfd < 0 || p->kick < 0)
		return -errno;
	k.data.fd = p->kick;
	if (epoll_ctl(p->epfd, EPOLL_CTL_ADD, p->kick, &k))
		return -errno;
	r.data.fd = p->rb ? ring_buffer__epoll_fd(p->rb) : -1;
	if (p->rb && epoll_ctl(p->epfd, EPOLL_CTL_ADD, r.data.fd, &r))
		return -errno;
	return 0;
}

/* loading or attaching failed: on-CPU sampling is off, and says why */
static void sampler_off(struct tt_profiler *p, int err)
{
	snprintf(p->status, sizeof(p->status), "off: cpu-clock sampling: %s",
		 strerror(-err));
	p->hz = 0;
}

int tt_profiler_load(const struct tt_profiler_opts *o, struct tt_profiler **out)
{
	struct tt_profiler *p = calloc(1, sizeof(*p));
	int e;

	*out = p;
	if (!p)
		return -ENOMEM;
	p->ncpus = libbpf_num_possible_cpus();
	if (p->ncpus <= 0)
		p->ncpus = 1;
	p->hz = o->hz;
	p->cfg_fd = -1;
	p->odrop_fd = -1;
	p->epfd = -1;
	p->kick = -1;
	if (!o->hz) {
		snprintf(p->status, sizeof(p->status), "off: by option");
	} else if ((e = sampler_load(p, o))) {
		sampler_off(p, e);
	}
	return 0;
}

int tt_profiler_start(struct tt_profiler *p, struct tt_collector *c, char *err,
		      size_t errlen)
{
	int e = 0;

	if (p->hz && (e = sampler_attach(p)))
		sampler_off(p, e);
	else if (p->hz)
		snprintf(p->status, sizeof(p->status), "on");
	offcpu_find(p, c);
	if ((p->hz || p->cfg_fd >= 0) && (e = waiter_new(p))) {
		snprintf(err, errlen, "profiler: epoll: %s", strerror(-e));
		return e;
	}
	if (!p->hz && p->cfg_fd < 0) {
		snprintf(err, errlen, "profiler: on-CPU %s; off-CPU %s",
			 p->status, p->off_status);
		return e ? e : -ENOENT;
	}
	return 0;
}

void tt_profiler_free(struct tt_profiler *p)
{
	if (!p)
		return;
	if (p->cfg_fd >= 0)
		tt_profiler_offcpu(p, 0);
	ring_buffer__free(p->rb);
	if (p->epfd >= 0)
		close(p->epfd);
	if (p->kick >= 0)
		close(p->kick);
	for (int i = 0; p->links && i < p->ncpus; i++)
		bpf_link__destroy(p->links[i]);
	for (int i = 0; p->pfds && i < p->ncpus; i++)
		if (p->pfds[i] >= 0)
			close(p->pfds[i]);
	free(p->links);
	free(p->pfds);
	if (p->rows)
		munmap(p->rows, (size_t)p->nrows * sizeof(*p->rows));
	tt_profile__destroy(p->skel);
	free(p);
}

const char *tt_profiler_status(const struct tt_profiler *p)
{
	return p->status;
}

const char *tt_profiler_offcpu_status(const struct tt_profiler *p)
{
	return p->off_status;
}

unsigned tt_profiler_hz(const struct tt_profiler *p)
{
	return p->hz;
}

int tt_profiler_poll(struct tt_profiler *p, int timeout_ms,
		     const struct tt_profiler_sink *s)
{
	struct epoll_event ev[2];
	uint64_t v;
	int n, err = 0;

	n = epoll_wait(p->epfd, ev, 2, timeout_ms);
	if (n < 0 && errno != EINTR)
		err = -errno; /* reported, after the rings are read anyway */
	for (int i = 0; i < n; i++)
		if (ev[i].data.fd == p->kick &&
		    read(p->kick, &v, sizeof(v)) < 0)
			break; /* EAGAIN: another poll read it first */
	if (!p->rb)
		return err;
	/* records come without a wakeup until a ring is a quarter full
	 * (prof_user.bpf.h): read whatever there is, woken or not */
	p->sink = s;
	n = ring_buffer__consume(p->rb);
	p->sink = NULL;
	return err ? err : n;
}

void tt_profiler_kick(struct tt_profiler *p)
{
	uint64_t one = 1;

	if (p->kick >= 0 && write(p->kick, &one, sizeof(one)) < 0)
		return; /* EAGAIN: the counter is full, so already kicked */
}

int tt_profiler_offcpu(struct tt_profiler *p, uint32_t tgid)
{
	struct offcpu_cfg cfg = { tgid, ++p->cfg_gen };
	__u32 zero = 0;

	if (p->cfg_fd < 0)
		return tgid ? -ENOTSUP : 0;
	return bpf_map_update_elem(p->cfg_fd, &zero, &cfg, 0) ? -errno : 0;
}

void tt_profiler_stats(struct tt_profiler *p, struct tt_profiler_stats *out)
{
	int n = p->ncpus;
	__u64 *d = calloc((size_t)n, sizeof(*d));
	struct tt_prof_cost *c = calloc((size_t)n, sizeof(*c));
	__u32 zero = 0;

	memset(out, 0, sizeof(*out));
	if (!p->skel || !d || !c) {
		free(d);
		free(c);
		return;
	}
	/* the sampler's losses, and the off-CPU ones the sched object
	 * counts in its own map: both are losses of the profile */
	for (__u32 k = 0; k < TT_PDROP_MAX; k++) {
		if (!bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.prof_drops),
					 &k, d))
			for (int i = 0; i < n; i++)
				out->drops[k] += d[i];
		if (p->odrop_fd >= 0 &&
		    !bpf_map_lookup_elem(p->odrop_fd, &k, d))
			for (int i = 0; i < n; i++)
				out->drops[k] += d[i];
	}
	for (__u32 k = 0; k < TT_UNW_STAT_MAX; k++)
		if (!bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.unw_stats),
					 &k, d))
			for (int i = 0; i < n; i++)
				out->unw[k] += d[i];
	if (!bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.prof_cost), &zero,
				 c))
		for (int i = 0; i < n; i++) {
			out->runs += c[i].runs;
			out->run_ns += c[i].ns;
			out->taken += c[i].taken[0];
			out->taken_watched += c[i].taken[1];
		}
	free(d);
	free(c);
}

uint64_t tt_profiler_map_bytes(struct tt_profiler *p)
{
	if (!p->skel || !p->hz)
		return 0;
	/* the process tables are not counted: 2 KiB each, as used */
	return ring_bytes(p->hz, p->ncpus) +
	       (uint64_t)p->nrows * sizeof(*p->rows);
}

/* BPF program ids only grow: the walk starts from the newest seen */
uint64_t tt_profiler_newest_prog(void *ctx)
{
	struct tt_profiler *p = ctx;
	__u32 next;

	while (!bpf_prog_get_next_id(p->newest_prog, &next))
		p->newest_prog = next;
	return p->newest_prog;
}

uint32_t tt_profiler_unw_cap(const struct tt_profiler *p)
{
	return p->hz && p->rows ? p->nrows : 0;
}

/* The rows are written while the kernel may read other rows: a module's
 * span is only used once a process's tables name it, which comes after
 * (tt_profiler_unw_proc is a syscall, and so a barrier). */
int tt_profiler_unw_rows(struct tt_profiler *p, uint32_t at,
			 const struct tt_unw_row *r, uint32_t n)
{
	if (!p->rows || at > p->nrows || n > p->nrows - at)
		return -ERANGE;
	memcpy(p->rows + at, r, (size_t)n * sizeof(*r));
	return 0;
}

int tt_profiler_unw_proc(struct tt_profiler *p, uint32_t pid,
			 const struct tt_unw_proc *v)
{
	if (!p->rows)
		return -ENOTSUP;
	return bpf_map_update_elem(bpf_map__fd(p->skel->maps.unw_procs), &pid,
				   v, BPF_ANY)
		       ? -errno
		       : 0;
}

void tt_profiler_unw_forget(struct tt_profiler *p, uint32_t pid)
{
	int fd;
	__u32 k, next;

	if (!p->rows)
		return;
	fd = bpf_map__fd(p->skel->maps.unw_procs);
	if (pid) {
		bpf_map_delete_elem(fd, &pid);
		return;
	}
	/* all: the array starts over, so no process may keep its spans */
	while (!bpf_map_get_next_key(fd, NULL, &next)) {
		k = next;
		if (bpf_map_delete_elem(fd, &k))
			break;
	}
}
