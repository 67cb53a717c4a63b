// The Chinchilla objective for the multi-start and bootstrap solver (internal).
//
// Parameter vector x = [a, b, e, alpha, beta] (A = e^a, B = e^b, E = e^e).
// r_i = LSE(a - alpha log N_i, b - beta log D_i, e) - log L_i, and the objective is
// sum_i w_i rho(r_i) with rho = Huber_delta (or r^2/2 for OLS). The evaluation returns the
// objective, its gradient sum w psi(r) grad r and the IRLS Gauss-Newton matrix
// sum w (psi(r)/r) grad r grad r^T (psi = rho'), which for Huber is the classical iteratively
// reweighted least-squares curvature (Huber 1981, §7.8).
#pragma once

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <cmath>
#include <vector>

#include "fitting/chinchilla_fit.h"
#include "fitting/levenberg_marquardt.h"

namespace scalelens::fit::detail {

using Vec5 = Eigen::Matrix<double, 5, 1>;
using Mat5 = Eigen::Matrix<double, 5, 5>;

struct PreparedData {
    std::vector<double> logX1;  // log N
    std::vector<double> logX2;  // log D
    std::vector<double> logL;
    std::vector<double> weight;
    int size() const { return static_cast<int>(logL.size()); }
};

class ChinchillaObjective {
  public:
    // Uses the points listed in `points` with multiplicities `weights` (same length).
    ChinchillaObjective(const PreparedData& data, const std::vector<int>& points,
                        const std::vector<double>& weights, bool huber, double delta)
        : m_huber(huber), m_delta(delta) {
        const int m = static_cast<int>(points.size());
        m_lx1.resize(m);
        m_lx2.resize(m);
        m_ll.resize(m);
        m_w.resize(m);
        for (int k = 0; k < m; ++k) {
            m_lx1[k] = data.logX1[points[k]];
            m_lx2[k] = data.logX2[points[k]];
            m_ll[k] = data.logL[points[k]];
            m_w[k] = weights[k];
        }
    }

    // Returns false when the model overflows or is not finite at x (the step is rejected).
    // gradient and hessian may be null (cost only, for trial steps). A fused scalar loop:
    // glibc's exp/log beat Eigen's SSE2 packet versions here, and it needs no temporaries.
    bool evaluate(const Vec5& x, double* cost, Vec5* gradient, Mat5* hessian) const {
        const double a = x[0], b = x[1], alpha = x[3], beta = x[4];
        const double E = std::exp(x[2]);
        const int m = static_cast<int>(m_ll.size());
        const double delta = m_delta;
        double sum = 0;
        if (!gradient) {
            for (int k = 0; k < m; ++k) {
                const double s = std::exp(a - alpha * m_lx1[k]) + std::exp(b - beta * m_lx2[k]) + E;
                const double r = std::log(s) - m_ll[k];
                const double ar = std::abs(r);
                sum +=
                    m_w[k] * (!m_huber || ar <= delta ? 0.5 * r * r : delta * (ar - 0.5 * delta));
            }
            *cost = sum;
            return std::isfinite(sum);
        }
        double g[5] = {0, 0, 0, 0, 0};
        double h[15] = {0};
        for (int k = 0; k < m; ++k) {
            const double e1 = std::exp(a - alpha * m_lx1[k]);
            const double e2 = std::exp(b - beta * m_lx2[k]);
            const double s = e1 + e2 + E;
            const double r = std::log(s) - m_ll[k];
            const double ar = std::abs(r);
            double rho, psi, irls;
            if (!m_huber || ar <= delta) {
                rho = 0.5 * r * r;
                psi = r;
                irls = 1.0;
            } else {
                rho = delta * (ar - 0.5 * delta);
                psi = r > 0 ? delta : -delta;
                irls = delta / ar;  // IRLS weight psi(r)/r
            }
            const double w = m_w[k];
            sum += w * rho;
            const double inv = 1.0 / s;
            // d r / d(a, b, e, alpha, beta): softmax weights of the three terms.
            const double c[5] = {e1 * inv, e2 * inv, E * inv, -e1 * inv * m_lx1[k],
                                 -e2 * inv * m_lx2[k]};
            const double q = w * psi;
            for (int i = 0; i < 5; ++i)
                g[i] += q * c[i];
            if (hessian) {
                const double ww = w * irls;
                int t = 0;
                for (int i = 0; i < 5; ++i) {
                    const double wc = ww * c[i];
                    for (int j = 0; j <= i; ++j)
                        h[t++] += wc * c[j];
                }
            }
        }
        *cost = sum;
        if (!std::isfinite(sum))
            return false;
        for (int i = 0; i < 5; ++i)
            (*gradient)[i] = g[i];
        if (hessian) {
            int t = 0;
            for (int i = 0; i < 5; ++i)
                for (int j = 0; j <= i; ++j, ++t)
                    (*hessian)(i, j) = (*hessian)(j, i) = h[t];
        }
        return gradient->allFinite();
    }

  private:
    std::vector<double> m_lx1, m_lx2, m_ll, m_w;
    bool m_huber;
    double m_delta;
};

}  // namespace scalelens::fit::detail
