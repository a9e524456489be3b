/* Timing, statistics and reproducible random numbers shared by the native baselines. */
#ifndef WIDENET_BENCH_UTIL_H
#define WIDENET_BENCH_UTIL_H

#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Seconds on the monotonic clock: immune to NTP adjustments during a run. */
static inline double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static inline int compare_doubles(const void *x, const void *y) {
    double a = *(const double *) x, b = *(const double *) y;
    return (a > b) - (a < b);
}

/* Sorts v and returns its median. */
static inline double sort_and_median(double *v, int count) {
    qsort(v, (size_t) count, sizeof *v, compare_doubles);
    return count % 2 ? v[count / 2] : 0.5 * (v[count / 2 - 1] + v[count / 2]);
}

/* splitmix64: tiny, fast and good enough for benchmark operands. */
typedef struct { uint64_t state; } rng_t;

static inline uint64_t rng_next(rng_t *r) {
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static inline double rng_uniform(rng_t *r) {
    return (double) (rng_next(r) >> 11) * 0x1.0p-53;
}

/* Standard normal (Box–Muller; one of the pair is thrown away, speed does not matter here). */
static inline double rng_normal(rng_t *r) {
    double u1 = 1.0 - rng_uniform(r), u2 = rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* 64-byte aligned floats, or exit with a message: the benchmarks have nothing sensible to do without memory. */
static inline float *alloc_floats(size_t count, const char *what) {
    size_t bytes = (count * sizeof(float) + 63) / 64 * 64;
    float *p = aligned_alloc(64, bytes ? bytes : 64);
    if (!p) {
        fprintf(stderr, "out of memory allocating %zu floats for %s\n", count, what);
        exit(1);
    }
    memset(p, 0, bytes);
    return p;
}

/* Parses a positive int from a command-line argument, or exits naming the option. */
static inline int parse_positive(const char *text, const char *what) {
    char *end;
    long v = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || v < 1 || v > 1000000000L) {
        fprintf(stderr, "%s must be a positive integer, got '%s'\n", what, text);
        exit(2);
    }
    return (int) v;
}

#endif
