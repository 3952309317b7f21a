/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * lint-models.h - what clang's static analyzer cannot see, told to it by
 * `make lint` (-include) and by nothing else.
 *
 * libbpf's headers are system headers, and the analyzer takes it that a
 * system function never frees what it is handed: every generated skeleton
 * (build/ *.skel.h) would then leak on its error path the object that
 * bpf_object__destroy_skeleton() frees. The attribute says it does free
 * it (it needs unix.DynamicMemoryModeling:Optimistic, set in .clang-tidy).
 */
#ifndef TT_LINT_MODELS_H
#define TT_LINT_MODELS_H

struct bpf_object_skeleton;
void bpf_object__destroy_skeleton(struct bpf_object_skeleton *s)
	__attribute__((ownership_takes(malloc, 1)));

#endif
