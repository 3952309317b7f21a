// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * load_gate.c - a counting gate around bpf_object__load() (load_gate.h).
 */
#include <pthread.h>
#include "bpf/load_gate.h"

static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static int gate_busy;

void tt_load_gate_enter(void)
{
	pthread_mutex_lock(&gate_mu);
	while (gate_busy >= TT_LOADS_AT_ONCE)
		pthread_cond_wait(&gate_cv, &gate_mu);
	gate_busy++;
	pthread_mutex_unlock(&gate_mu);
}

void tt_load_gate_leave(void)
{
	pthread_mutex_lock(&gate_mu);
	gate_busy--;
	pthread_cond_signal(&gate_cv);
	pthread_mutex_unlock(&gate_mu);
}
