// Fused optimizer steps: one call updates one parameter and its state in place. The checks
// follow torch.optim's constructor checks ("Invalid learning rate", ...) as RangeErrors.
#include <initializer_list>

#include "../kernels/cpu/optim.h"
#include "args.h"
#include "exports.h"

namespace tg {
namespace binding {
namespace {

constexpr int64_t kMaxStep = (int64_t{1} << 53) - 1;

struct Named {
  Buffer<float> buf;  // data null for an absent optional buffer
  const char* name;
};

// Every buffer has the parameter's length, and no two share memory (the gradient is read while
// the others are written).
void check_state(const Args& args, std::initializer_list<Named> bufs) {
  const Named& param = *bufs.begin();
  for (const Named& b : bufs) {
    if (b.buf.data && b.buf.length != param.buf.length) {
      args.range_error(std::string(b.name) + " has " + std::to_string(b.buf.length) +
                       " elements but param has " + std::to_string(param.buf.length));
    }
  }
  for (auto a = bufs.begin(); a != bufs.end(); ++a) {
    for (auto b = a + 1; b != bufs.end(); ++b) check_disjoint(args, a->buf, a->name, b->buf, b->name);
  }
}

void require(const Args& args, const Buffer<float>& b, const char* name, const char* when) {
  if (!b.data) args.type_error(std::string(name) + " must be a Float32Array when " + when + ", got null");
}

// sgdStep(param, grad, momentumBuffer, lr, momentum, dampening, weightDecay, nesterov, maximize,
// firstStep): torch.optim.SGD. momentumBuffer may be null when momentum is 0; on the first
// step (firstStep) it is set to the gradient (after weight decay).
Napi::Value sgd_step(const Napi::CallbackInfo& info) {
  Args args(info, "sgdStep", 10);
  const Buffer<float> param = args.float32(0, "param");
  const Buffer<float> grad = args.float32(1, "grad");
  const Buffer<float> buf = args.float32_or_null(2, "momentumBuffer");
  SgdOptions o;
  o.lr = args.finite(3, "lr");  // any sign: a scheduler may step past its end (OneCycleLR)
  o.momentum = args.non_negative(4, "momentum");
  o.dampening = args.finite(5, "dampening");
  o.weight_decay = args.non_negative(6, "weightDecay");
  o.nesterov = args.boolean(7, "nesterov");
  o.maximize = args.boolean(8, "maximize");
  o.first_step = args.boolean(9, "firstStep");
  if (o.nesterov && (o.momentum <= 0 || o.dampening != 0)) {
    args.range_error("Nesterov momentum requires a momentum and zero dampening");
  }
  if (o.momentum != 0) require(args, buf, "momentumBuffer", "momentum is not 0");
  check_state(args, {{param, "param"}, {grad, "grad"}, {buf, "momentumBuffer"}});
  tg::sgd_step(param.length, param.data, grad.data, o.momentum != 0 ? buf.data : nullptr, o);
  return args.env().Undefined();
}

double beta(const Args& args, size_t i, const char* name) {
  const double b = args.finite(i, name);
  if (!(b >= 0 && b < 1)) args.range_error(std::string(name) + " must be in [0, 1), got " + std::to_string(b));
  return b;
}

// adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq, step, lr, beta1, beta2, eps, weightDecay,
// amsgrad, maximize, decoupledWeightDecay): torch.optim.Adam, or torch.optim.AdamW when
// decoupledWeightDecay. step counts from 1 (this step's number). maxExpAvgSq may be null unless
// amsgrad.
Napi::Value adam_step(const Napi::CallbackInfo& info) {
  Args args(info, "adamStep", 14);
  const Buffer<float> param = args.float32(0, "param");
  const Buffer<float> grad = args.float32(1, "grad");
  const Buffer<float> m = args.float32(2, "expAvg");
  const Buffer<float> v = args.float32(3, "expAvgSq");
  const Buffer<float> vmax = args.float32_or_null(4, "maxExpAvgSq");
  AdamOptions o;
  o.step = args.integer(5, "step", 1, kMaxStep);
  o.lr = args.finite(6, "lr");  // any sign: a scheduler may step past its end (OneCycleLR)
  o.beta1 = beta(args, 7, "beta1");
  o.beta2 = beta(args, 8, "beta2");
  o.eps = args.non_negative(9, "eps");
  o.weight_decay = args.non_negative(10, "weightDecay");
  o.amsgrad = args.boolean(11, "amsgrad");
  o.maximize = args.boolean(12, "maximize");
  o.decoupled = args.boolean(13, "decoupledWeightDecay");
  if (o.amsgrad) require(args, vmax, "maxExpAvgSq", "amsgrad is true");
  check_state(args, {{param, "param"}, {grad, "grad"}, {m, "expAvg"}, {v, "expAvgSq"}, {vmax, "maxExpAvgSq"}});
  tg::adam_step(param.length, param.data, grad.data, m.data, v.data, o.amsgrad ? vmax.data : nullptr, o);
  return args.env().Undefined();
}

// rmspropStep(param, grad, squareAvg, gradAvg, momentumBuffer, lr, alpha, eps, weightDecay,
// momentum, centered, maximize): torch.optim.RMSprop. gradAvg may be null unless centered,
// momentumBuffer unless momentum > 0.
Napi::Value rmsprop_step(const Napi::CallbackInfo& info) {
  Args args(info, "rmspropStep", 12);
  const Buffer<float> param = args.float32(0, "param");
  const Buffer<float> grad = args.float32(1, "grad");
  const Buffer<float> sq = args.float32(2, "squareAvg");
  const Buffer<float> gavg = args.float32_or_null(3, "gradAvg");
  const Buffer<float> buf = args.float32_or_null(4, "momentumBuffer");
  RmspropOptions o;
  o.lr = args.finite(5, "lr");  // any sign: a scheduler may step past its end (OneCycleLR)
  o.alpha = args.non_negative(6, "alpha");
  o.eps = args.non_negative(7, "eps");
  o.weight_decay = args.non_negative(8, "weightDecay");
  o.momentum = args.non_negative(9, "momentum");
  o.centered = args.boolean(10, "centered");
  o.maximize = args.boolean(11, "maximize");
  if (o.centered) require(args, gavg, "gradAvg", "centered is true");
  if (o.momentum > 0) require(args, buf, "momentumBuffer", "momentum > 0");
  check_state(args, {{param, "param"}, {grad, "grad"}, {sq, "squareAvg"}, {gavg, "gradAvg"}, {buf, "momentumBuffer"}});
  tg::rmsprop_step(param.length, param.data, grad.data, sq.data, o.centered ? gavg.data : nullptr,
               o.momentum > 0 ? buf.data : nullptr, o);
  return args.env().Undefined();
}

// adagradStep(param, grad, stateSum, step, lr, lrDecay, weightDecay, eps, maximize):
// torch.optim.Adagrad. stateSum starts at initial_accumulator_value; step counts from 1.
Napi::Value adagrad_step(const Napi::CallbackInfo& info) {
  Args args(info, "adagradStep", 9);
  const Buffer<float> param = args.float32(0, "param");
  const Buffer<float> grad = args.float32(1, "grad");
  const Buffer<float> sum = args.float32(2, "stateSum");
  AdagradOptions o;
  o.step = args.integer(3, "step", 1, kMaxStep);
  o.lr = args.finite(4, "lr");  // any sign: a scheduler may step past its end (OneCycleLR)
  o.lr_decay = args.non_negative(5, "lrDecay");
  o.weight_decay = args.non_negative(6, "weightDecay");
  o.eps = args.non_negative(7, "eps");
  o.maximize = args.boolean(8, "maximize");
  check_state(args, {{param, "param"}, {grad, "grad"}, {sum, "stateSum"}});
  tg::adagrad_step(param.length, param.data, grad.data, sum.data, o);
  return args.env().Undefined();
}

}  // namespace

void export_optim(Napi::Env env, Napi::Object exports) {
  exports.Set("sgdStep", Napi::Function::New(env, sgd_step, "sgdStep"));
  exports.Set("adamStep", Napi::Function::New(env, adam_step, "adamStep"));
  exports.Set("rmspropStep", Napi::Function::New(env, rmsprop_step, "rmspropStep"));
  exports.Set("adagradStep", Napi::Function::New(env, adagrad_step, "adagradStep"));
}

}  // namespace binding
}  // namespace tg
