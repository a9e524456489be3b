/*
 * cblas_sgemm on the shapes widenet's JMH GemmBenchmark measures, for the side-by-side comparison.
 *
 * Usage: sgemm_bench [--warmup SECONDS] [--time SECONDS] [--min-reps N] SHAPE...
 *   SHAPE is <opA><opB>:<M>x<N>x<K> exactly as in the JMH `shape` parameter: C (M×N) = op(A)·op(B), row-major,
 *   A stored M×K (N) or K×M (T), B stored K×N (N) or N×K (T). Threads come from OPENBLAS_NUM_THREADS.
 *
 * Output, one machine-readable line per shape (comment lines start with '#'):
 *   sgemm,<opA><opB>,M,N,K,threads,median_ms,gflops_at_median,min_ms,max_ms,reps
 */
#include "bench_util.h"

#include <cblas.h>
#include <ctype.h>

typedef struct {
    char op_a, op_b;
    int m, n, k;
} shape_t;

static int parse_shape(const char *spec, shape_t *s) {
    char a, b;
    int consumed = 0;
    if (sscanf(spec, " %c%c:%dx%dx%d%n", &a, &b, &s->m, &s->n, &s->k, &consumed) != 5 || spec[consumed] != '\0') {
        return 0;
    }
    s->op_a = (char) toupper((unsigned char) a);
    s->op_b = (char) toupper((unsigned char) b);
    return (s->op_a == 'N' || s->op_a == 'T') && (s->op_b == 'N' || s->op_b == 'T') && s->m > 0 && s->n > 0 && s->k > 0;
}

static void fill_uniform(float *x, size_t count, rng_t *rng) {
    for (size_t i = 0; i < count; i++) x[i] = (float) (2.0 * rng_uniform(rng) - 1.0);
}

static void run_shape(const shape_t *s, double warmup_seconds, double measure_seconds, int min_reps) {
    int m = s->m, n = s->n, k = s->k;
    enum CBLAS_TRANSPOSE ta = s->op_a == 'N' ? CblasNoTrans : CblasTrans;
    enum CBLAS_TRANSPOSE tb = s->op_b == 'N' ? CblasNoTrans : CblasTrans;
    /* Leading dimensions of the stored (row-major) matrices. */
    int lda = s->op_a == 'N' ? k : m;
    int ldb = s->op_b == 'N' ? n : k;
    float *a = alloc_floats((size_t) m * k, "A");
    float *b = alloc_floats((size_t) k * n, "B");
    float *c = alloc_floats((size_t) m * n, "C");
    rng_t rng = {0x5eed0f9e77ULL};
    fill_uniform(a, (size_t) m * k, &rng);
    fill_uniform(b, (size_t) k * n, &rng);

    /* Warm-up: page in C, start OpenBLAS's thread pool, settle the clock frequency. */
    double start = now_seconds();
    do {
        cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, n);
    } while (now_seconds() - start < warmup_seconds);

    int capacity = 1024, reps = 0;
    double *ms = malloc(sizeof(double) * (size_t) capacity);
    if (!ms) { fprintf(stderr, "out of memory\n"); exit(1); }
    start = now_seconds();
    while (reps < capacity && (reps < min_reps || now_seconds() - start < measure_seconds)) {
        double t0 = now_seconds();
        cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, n);
        ms[reps++] = 1e3 * (now_seconds() - t0);
    }
    double median = sort_and_median(ms, reps);
    double gflops = 2.0 * m * n * k / (median * 1e6);
    printf("sgemm,%c%c,%d,%d,%d,%d,%.4f,%.3f,%.4f,%.4f,%d\n", s->op_a, s->op_b, m, n, k,
           openblas_get_num_threads(), median, gflops, ms[0], ms[reps - 1], reps);
    fflush(stdout);
    free(ms);
    free(a);
    free(b);
    free(c);
}

static double parse_seconds(const char *text, const char *what) {
    char *end;
    double v = strtod(text, &end);
    if (*text == '\0' || *end != '\0' || !(v >= 0.0)) {
        fprintf(stderr, "%s must be a non-negative number of seconds, got '%s'\n", what, text);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv) {
    double warmup_seconds = 1.0, measure_seconds = 3.0;
    int min_reps = 5, first_shape = argc;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--warmup") && i + 1 < argc) warmup_seconds = parse_seconds(argv[++i], "--warmup");
        else if (!strcmp(argv[i], "--time") && i + 1 < argc) measure_seconds = parse_seconds(argv[++i], "--time");
        else if (!strcmp(argv[i], "--min-reps") && i + 1 < argc) min_reps = parse_positive(argv[++i], "--min-reps");
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: %s [--warmup SECONDS] [--time SECONDS] [--min-reps N] SHAPE...\n"
                            "  SHAPE like NT:1000x4000x1000 (opA opB : M x N x K)\n", argv[0]);
            return 2;
        } else { first_shape = i; break; }
    }
    if (first_shape >= argc) {
        fprintf(stderr, "%s: no shapes given; e.g. %s NN:1024x1024x1024 NT:1000x4000x1000\n", argv[0], argv[0]);
        return 2;
    }
    shape_t *shapes = calloc((size_t) argc, sizeof *shapes);
    for (int i = first_shape; i < argc; i++) {
        if (!parse_shape(argv[i], &shapes[i])) {
            fprintf(stderr, "%s: shape '%s' is not of the form <opA><opB>:<M>x<N>x<K>, e.g. NT:1000x4000x1000\n",
                    argv[0], argv[i]);
            return 2;
        }
    }
    printf("# openblas %s; core %s; threads %d\n", openblas_get_config(), openblas_get_corename(),
           openblas_get_num_threads());
    printf("# sgemm,ops,M,N,K,threads,median_ms,gflops_at_median,min_ms,max_ms,reps\n");
    for (int i = first_shape; i < argc; i++) run_shape(&shapes[i], warmup_seconds, measure_seconds, min_reps);
    free(shapes);
    return 0;
}
