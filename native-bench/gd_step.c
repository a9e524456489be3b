/*
 * One full-batch gradient-descent step of the two-layer ReLU network f(x) = (1/√m) Σ_r a_r relu(w_rᵀx), in C with
 * OpenBLAS, timed: the native bar for widenet's trainer. Only W is trained (a ∈ {±1}^m fixed), square loss
 * L = ½ Σ_i (u_i − y_i)².
 *
 *   Z = X Wᵀ                          (n×m, sgemm NT)
 *   H = relu(Z), S = 1{Z ≥ 0}         (ReLU′(0) = 1, Du et al.)
 *   u = (1/√m) H a,  r = u − y        loss ½ Σ r²
 *   G_ir = r_i a_r S_ir / √m          (n×m, written over Z: Z is dead once its row is read)
 *   ∇W = Gᵀ X                         (m×d, sgemm TN)
 *   W −= η ∇W
 *
 * The elementwise part runs row by row (u_i needs row i only, and a row of Z fits in cache), single-threaded:
 * it is ≈ n·m·a-few flops against 4·n·m·d for the two GEMMs.
 *
 * Data as in Du et al. 2019 §5: x_i uniform on the unit sphere, y_i ~ N(0, 1), w_r ~ N(0, I), a_r uniform ±1,
 * η = 0.1; the loss is printed so a broken step shows.
 *
 * Usage: gd_step [--steps S] [--time SECONDS] [--warmup W] [--eta η] [n d m]
 *   n d m default to 1000 1000 4000; threads come from OPENBLAS_NUM_THREADS. W untimed steps first (default 2),
 *   then timed steps until at least S steps (default 5) and SECONDS seconds (default 3) have passed, so that a
 *   12-ms narrow step and a 500-ms wide one both get a stable median.
 * Output: gdstep,c-openblas,n,d,m,threads,median_ms,min_ms,max_ms,steps,loss_first,loss_last, then a comment line
 * "# phases_ms sgemm_nt=… elementwise=… sgemm_tn=… saxpy=…" with each phase's median.
 */
#include "bench_util.h"

#include <cblas.h>

typedef struct {
    int n, d, m;
    float eta;
    float *x;      /* n×d */
    float *y;      /* n */
    float *w;      /* m×d */
    float *a;      /* m */
    float *z;      /* n×m: Z, then G */
    float *grad_w; /* m×d */
} problem_t;

static void init_problem(problem_t *p, int n, int d, int m, float eta) {
    p->n = n; p->d = d; p->m = m; p->eta = eta;
    p->x = alloc_floats((size_t) n * d, "X");
    p->y = alloc_floats((size_t) n, "y");
    p->w = alloc_floats((size_t) m * d, "W");
    p->a = alloc_floats((size_t) m, "a");
    p->z = alloc_floats((size_t) n * m, "Z");
    p->grad_w = alloc_floats((size_t) m * d, "grad W");
    rng_t rng = {20190101ULL};
    for (int i = 0; i < n; i++) {
        float *row = p->x + (size_t) i * d;
        double norm2 = 0;
        for (int j = 0; j < d; j++) { row[j] = (float) rng_normal(&rng); norm2 += (double) row[j] * row[j]; }
        float inv = (float) (1.0 / sqrt(norm2));
        for (int j = 0; j < d; j++) row[j] *= inv;
        p->y[i] = (float) rng_normal(&rng);
    }
    for (size_t i = 0; i < (size_t) m * d; i++) p->w[i] = (float) rng_normal(&rng);
    for (int r = 0; r < m; r++) p->a[r] = rng_uniform(&rng) < 0.5 ? -1.0f : 1.0f;
}

enum { PHASES = 4 };
static const char *phase_names[PHASES] = {"sgemm_nt", "elementwise", "sgemm_tn", "saxpy"};

/* One GD step; returns the loss at the weights before the step. phase_ms, if not NULL, gets the time of each
 * phase (forward sgemm, the elementwise pass, backward sgemm, update) in milliseconds. */
static double gd_step(problem_t *p, double *phase_ms) {
    const int n = p->n, d = p->d, m = p->m;
    const float inv_sqrt_m = (float) (1.0 / sqrt((double) m));
    double t0 = now_seconds();

    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, m, d, 1.0f, p->x, d, p->w, d, 0.0f, p->z, m);
    double t1 = now_seconds();

    double loss = 0;
    for (int i = 0; i < n; i++) {
        float *row = p->z + (size_t) i * m;
        float u = 0;
        for (int r = 0; r < m; r++) u += p->a[r] * (row[r] > 0.0f ? row[r] : 0.0f);
        u *= inv_sqrt_m;
        float residual = u - p->y[i];
        loss += 0.5 * (double) residual * residual;
        float scale = residual * inv_sqrt_m;
        for (int r = 0; r < m; r++) row[r] = row[r] >= 0.0f ? scale * p->a[r] : 0.0f;
    }

    double t2 = now_seconds();
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m, d, n, 1.0f, p->z, m, p->x, d, 0.0f, p->grad_w, d);
    double t3 = now_seconds();
    cblas_saxpy(m * d, -p->eta, p->grad_w, 1, p->w, 1);
    double t4 = now_seconds();
    if (phase_ms) {
        phase_ms[0] = 1e3 * (t1 - t0);
        phase_ms[1] = 1e3 * (t2 - t1);
        phase_ms[2] = 1e3 * (t3 - t2);
        phase_ms[3] = 1e3 * (t4 - t3);
    }
    return loss;
}

int main(int argc, char **argv) {
    int min_steps = 5, warmup = 2, sizes[3] = {1000, 1000, 4000}, given = 0;
    double min_seconds = 3.0;
    float eta = 0.1f;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--steps") && i + 1 < argc) min_steps = parse_positive(argv[++i], "--steps");
        else if (!strcmp(argv[i], "--time") && i + 1 < argc) {
            char *end;
            const char *v = argv[++i];
            min_seconds = strtod(v, &end);
            if (*v == '\0' || *end != '\0' || !(min_seconds >= 0)) {
                fprintf(stderr, "--time must be a non-negative number of seconds, got '%s'\n", v);
                return 2;
            }
        }
        else if (!strcmp(argv[i], "--warmup") && i + 1 < argc) {
            /* 0 warm-up steps is allowed: parse "0" by hand since parse_positive rejects it. */
            const char *v = argv[++i];
            warmup = strcmp(v, "0") ? parse_positive(v, "--warmup") : 0;
        } else if (!strcmp(argv[i], "--eta") && i + 1 < argc) eta = strtof(argv[++i], NULL);
        else if (argv[i][0] != '-' && given < 3) {
            static const char *names[3] = {"n", "d", "m"};
            sizes[given] = parse_positive(argv[i], names[given]);
            given++;
        } else {
            fprintf(stderr, "usage: %s [--steps S] [--time SECONDS] [--warmup W] [--eta ETA] [n d m]\n", argv[0]);
            return 2;
        }
    }
    if (given != 0 && given != 3) {
        fprintf(stderr, "%s: give all three sizes n d m, or none for 1000 1000 4000\n", argv[0]);
        return 2;
    }
    problem_t p;
    init_problem(&p, sizes[0], sizes[1], sizes[2], eta);

    double loss_first = 0, loss_last = 0;
    for (int s = 0; s < warmup; s++) {
        double loss = gd_step(&p, NULL);
        if (s == 0) loss_first = loss;
    }
    enum { MAX_STEPS = 100000 };
    double *ms = malloc(sizeof(double) * MAX_STEPS);
    double *phase_ms = malloc(sizeof(double) * MAX_STEPS * PHASES);
    if (!ms || !phase_ms) { fprintf(stderr, "out of memory\n"); return 1; }
    int steps = 0;
    double start = now_seconds();
    while (steps < MAX_STEPS && (steps < min_steps || now_seconds() - start < min_seconds)) {
        double t0 = now_seconds();
        loss_last = gd_step(&p, phase_ms + (size_t) steps * PHASES);
        ms[steps] = 1e3 * (now_seconds() - t0);
        if (warmup == 0 && steps == 0) loss_first = loss_last;
        steps++;
    }
    /* Per-phase medians (each phase's own median over the steps), before ms is sorted. */
    double phase_median[PHASES];
    double *column = malloc(sizeof(double) * steps);
    if (!column) { fprintf(stderr, "out of memory\n"); return 1; }
    for (int f = 0; f < PHASES; f++) {
        for (int s = 0; s < steps; s++) column[s] = phase_ms[(size_t) s * PHASES + f];
        phase_median[f] = sort_and_median(column, steps);
    }
    free(column);
    double median = sort_and_median(ms, steps);
    printf("# openblas %s; core %s\n", openblas_get_config(), openblas_get_corename());
    printf("# gdstep,impl,n,d,m,threads,median_ms,min_ms,max_ms,steps,loss_first,loss_last\n");
    printf("gdstep,c-openblas,%d,%d,%d,%d,%.3f,%.3f,%.3f,%d,%.6g,%.6g\n", p.n, p.d, p.m, openblas_get_num_threads(),
           median, ms[0], ms[steps - 1], steps, loss_first, loss_last);
    printf("# phases_ms");
    for (int f = 0; f < PHASES; f++) printf(" %s=%.3f", phase_names[f], phase_median[f]);
    printf(" (medians)\n");
    free(ms);
    free(phase_ms);
    return 0;
}
