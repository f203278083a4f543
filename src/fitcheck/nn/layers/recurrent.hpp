#pragma once
// Recurrent: what SimpleRNN, LSTM and GRU share (Keras' RNN base class): the (batch, time,
// features) input contract and its shape errors, the return_sequences / go_backwards handling,
// the input projection of all time steps as one GEMM, and the input-side gradients as GEMMs.
//
// Work buffers are time-major, (time, batch, ...), so that each step's slice is one contiguous
// (batch, ...) matrix for the per-step GEMM with the recurrent kernel. Step s processes the input
// at time s, or T−1−s with go_backwards (Keras then returns the sequence in processing order).

#include <memory>

#include "fitcheck/nn/activation_function.hpp"
#include "fitcheck/nn/layer.hpp"

namespace fitcheck::nn {

// The RNN base keys every recurrent layer reads and writes; defaults are Keras'.
struct RecurrentOptions {
  std::int64_t units = 0;
  std::string activation = "tanh";
  bool use_bias = true;
  bool return_sequences = false;
  bool go_backwards = false;
  Json kernel_initializer = "glorot_uniform";
  Json recurrent_initializer = "orthogonal";
  Json bias_initializer = "zeros";
  // Masks per sequence as Keras 3: one input mask shared by the gates for dropout alone; one
  // mask per gate for the inputs and the state when recurrent_dropout is set.
  double dropout = 0.0;            // of the inputs
  double recurrent_dropout = 0.0;  // of the state fed to the recurrent kernel
  std::string name;
};

class Recurrent : public Layer {
 public:
  core::Shape compute_output_shape(const core::Shape& input) const override;
  std::int64_t units() const { return base_.units; }
  bool return_sequences() const { return base_.return_sequences; }
  bool go_backwards() const { return base_.go_backwards; }
  // Bidirectional builds its backward copy with go_backwards flipped.
  void set_go_backwards(bool v) { base_.go_backwards = v; }

 protected:
  Recurrent(RecurrentOptions base, int gates, const char* cls, const char* default_name);
  // Reads the RNN base keys (and refuses the ones this engine does not train: dropout,
  // return_state, stateful, time_major), ready for the subclass to read its own.
  static RecurrentOptions base_from_config(const Json& c, const std::string& where);
  void add_base_config(Json& c) const;
  // A config's activation ("tanh", null, or a serialised dict) as a name for the options.
  static std::string activation_name(const Json& spec, const std::string& where);  // the RNN base and common cell keys, in Keras' order

  // kernel (features, gates·units) and recurrent_kernel (units, gates·units).
  void create_kernels(const core::Shape& input, core::Rng& rng);

  // x (B, T, F) → xt_ (T, B, F) in processing order, then zx_ (T·B, gates·units) =
  // xt_·kernel (+ input_bias when given), h_ (T+1, B, U) with h_0 = 0. In training, draws the
  // sequence's dropout masks and applies the input ones (mask k to gate block k).
  void project_inputs(const core::Tensor& x, const float* input_bias, const ForwardContext& ctx);
  // Dropout masks per sequence: one shared by the gates, or, with recurrent_dropout, one per gate
  // (Keras' implementation 1).
  std::int64_t mask_count() const { return base_.recurrent_dropout > 0.0 ? gates_ : 1; }
  // Whether the state reaches the gate blocks through different masks (then each block's
  // recurrent product is its own GEMM with recurrent_input(s, k)).
  bool per_gate_recurrent() const { return recurrent_mask_active_ && mask_count() > 1; }
  // The state step s feeds to gate block k: h_s, or h_s ⊙ recurrent mask k (kept in hm_).
  // recurrent_inputs(k) stacks them for all steps, (T·B, U).
  const float* recurrent_input(std::int64_t s, std::int64_t k = 0);
  const float* recurrent_inputs(std::int64_t k = 0) const;
  // The gradient with respect to recurrent_input(s, k) becomes one with respect to h_s (in place).
  void unmask_recurrent_gradient(float* d, std::int64_t k = 0) const;
  bool recurrent_mask_active() const { return recurrent_mask_active_; }
  // The recurrent products over the first `blocks` gate blocks of a kernel rk (units × blocks·units,
  // leading dimension ld): out (B, ld) (+)= [recurrent_input(s, k)·rk_k]_k; its backward
  // dh (+)= Σ_k (dz_k·rk_kᵀ) ⊙ mask_k; and the kernel's gradient Σ_s recurrent_input(s, k)ᵀ·dz_k.
  // One GEMM each when the gates share the state.
  void recurrent_product(std::int64_t s, const float* rk, std::int64_t ld, int blocks, float* out, bool accumulate);
  void recurrent_product_backward(const float* dz, const float* rk, std::int64_t ld, int blocks, float* dh,
                                  bool accumulate);
  void recurrent_kernel_gradient(const float* dz_all, std::int64_t ld, int blocks, float* grad);
  // C (m×n, ldc) (+)= op(A)·op(B) on strided row-major blocks (column blocks of the kernels).
  static void strided_gemm(bool trans_a, bool trans_b, std::int64_t m, std::int64_t n, std::int64_t k, const float* a,
                           std::int64_t lda, const float* b, std::int64_t ldb, float* c, std::int64_t ldc,
                           bool accumulate);
  // y from h_1..h_T (the last one only without return_sequences).
  void write_output(core::Tensor& y) const;
  // dh_seq_ (T, B, U): dy scattered to the steps it belongs to, zeros elsewhere.
  void read_output_gradient(const core::Tensor& dy);
  // From dzx_ (T·B, gates·units) = dL/d(zx_): the kernel's gradient, the input bias' (when
  // given) and dx (when not null, back in (B, T, F) order).
  void input_gradients(const core::Tensor& x, float* input_bias_grad, core::Tensor* dx);

  // The activation f over a (B, U) block with leading dimension ld: a = f(z). sigmoid and tanh
  // run vectorised; other functions row by row.
  static void activate(const ActivationFunction& f, const float* z, float* a, std::int64_t rows, std::int64_t cols,
                       std::int64_t ld);
  // dz = da · f'(z), from z and a = f(z); all blocks with leading dimension ld.
  static void activate_backward(const ActivationFunction& f, const float* z, const float* a, const float* da, float* dz,
                                std::int64_t rows, std::int64_t cols, std::int64_t ld);
  // The same over `blocks` adjacent gate blocks of `units` columns each: one call for element-wise
  // functions, one per block for softmax-like ones (which normalise over each gate's units).
  static void activate_gates(const ActivationFunction& f, const float* z, float* a, std::int64_t rows,
                             std::int64_t units, int blocks, std::int64_t ld);
  static void activate_gates_backward(const ActivationFunction& f, const float* z, const float* a, const float* da,
                                      float* dz, std::int64_t rows, std::int64_t units, int blocks, std::int64_t ld);

  RecurrentOptions base_;
  int gates_;
  std::unique_ptr<ActivationFunction> activation_;
  std::int64_t batch_ = 0, steps_ = 0, features_ = 0;
  core::Tensor xt_, zx_, h_, dzx_, dh_seq_, dxt_;
  bool input_mask_active_ = false, recurrent_mask_active_ = false;
  core::Tensor input_mask_, recurrent_mask_, hm_;  // (K, B, F), (K, B, U), (K, T, B, U); K = mask_count()
  core::Tensor xm_, dxm_, dhk_;                    // masked inputs (K, T·B, F); workspaces
};

}  // namespace fitcheck::nn
