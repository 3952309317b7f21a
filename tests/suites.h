/* suites.h - every test suite, with the group that runs it:
 *   unit   no privileges, no kernel: model and rendering code
 *   integ  root: the real BPF programs against workloads with known answers
 *   tui    root: the real binary in tmux
 * TT_SUITES=unit,integ picks groups; default: all of them.
 */
#ifndef TT_TEST_SUITES_H
#define TT_TEST_SUITES_H
#include <check.h>

#define TT_SUITE_LIST                                                          \
	X(unit, hist_suite)                                                    \
	X(unit, keysort_suite)                                                 \
	X(unit, format_suite)                                                  \
	X(unit, snapshot_suite)                                                \
	X(unit, snapshot_exits_suite)                                          \
	X(unit, json_suite)                                                    \
	X(unit, options_suite)                                                 \
	X(unit, theme_suite)                                                   \
	X(unit, keys_suite)                                                    \
	X(unit, widgets_suite)                                                 \
	X(unit, rows_suite)                                                    \
	X(unit, outfile_suite)                                                 \
	X(unit, recording_suite)                                               \
	X(unit, metrics_suite)                                                 \
	X(unit, fuzz_inputs_suite)                                             \
	X(unit, owner_bytes_suite)                                             \
	X(unit, conn_cache_suite)                                              \
	X(unit, text_suite)                                                    \
	X(unit, measured_suite)                                                \
	X(unit, events_suite)                                                  \
	X(unit, prof_sym_suite)                                                \
	X(unit, prof_unw_suite)                                                \
	X(unit, prof_agg_suite)                                                \
	X(integ, integ_syscalls_suite)                                         \
	X(integ, integ_sched_suite)                                            \
	X(integ, integ_tcp_suite)                                              \
	X(integ, integ_tcpnet_suite)                                           \
	X(integ, integ_filters_suite)                                          \
	X(integ, integ_cli_suite)                                              \
	X(integ, integ_outputs_suite)                                          \
	X(integ, integ_faults_suite)                                           \
	X(integ, integ_tcpclose_suite)                                         \
	X(integ, integ_honest_suite)                                           \
	X(integ, integ_figures_suite)                                          \
	X(integ, integ_events_suite)                                           \
	X(integ, integ_events_tcp_suite)                                       \
	X(integ, integ_anchors_suite)                                          \
	X(integ, integ_profile_suite)                                          \
	X(tui, tui_screen_suite)                                               \
	X(tui, tui_keys_suite)                                                 \
	X(tui, tui_header_suite)                                               \
	X(tui, tui_events_suite)                                               \
	X(tui, tui_profile_suite)

#define X(group, fn) Suite *fn(void);
TT_SUITE_LIST
#undef X

#endif
