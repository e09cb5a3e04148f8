// Builds a thread's scratch once per simulation (the models, steppers and
// buffers every path reuses), and the partial results' count merge.
#include "thread_scratch.hpp"

#include <algorithm>
#include <limits>

#include "exposure_bounds.hpp"
#include "path_parameters.hpp"
#include "wager/shock.hpp"

namespace wager::detail {

void PartialOutcome::merge_counts_into(StrategyOutcome& total) {
  total.n_paths += n_paths;
  for (std::size_t i = 0; i < default_year.size(); ++i) total.default_year[i] += default_year[i];
  for (std::size_t i = 0; i < first_profit_year.size(); ++i) total.first_profit_year[i] += first_profit_year[i];
  n_paths = 0;
  std::fill(default_year.begin(), default_year.end(), 0);
  std::fill(first_profit_year.begin(), first_profit_year.end(), 0);
  total.distress.merge(distress);
  total.exposure.merge(exposure);
  exposure.clear();
  total.investors.merge(investors);
  investors.clear();
  total.lenders.merge(lenders);
  lenders.clear();
  distress.reset(static_cast<int>(first_profit_year.size()) - 1,
                 static_cast<int>(distress.claimants.n_series / 3));
}

StrategyScratch::StrategyScratch(const SimulationConfig& c, const Strategy& s) : model(s.model) {
  const int n_years = s.model.n_years;
  const auto n_series = static_cast<std::size_t>(n_stat_vars * n_years + n_outcomes);
  params = parameters(model);
  for (const ParameterRef& p : params) base_values.push_back(*p.value);
  for (const UncertainInput& in : s.inputs) {
    for (int target : in.targets) {
      if (std::find(touched.begin(), touched.end(), target) == touched.end()) touched.push_back(target);
    }
  }
  for (int target : touched) touched_central.push_back(base_values[static_cast<std::size_t>(target)]);
  per_path = !s.inputs.empty() || has_trigger(s.shocks);
  const auto move = std::find_if(s.shocks.begin(), s.shocks.end(), moves_regime);
  if (move != s.shocks.end()) regime_move = &*move;
  apply_constant_shocks(model, s.shocks);
  prepared = std::make_unique<PreparedModel>(model, &s.shocks);
  stepper = std::make_unique<LaneStepper>(*prepared);
  // Triggered shocks in one window: a lane's model is the unshocked one or
  // the one with the window on, by step; with inputs, when the lanes can
  // take them directly beside it (shocks_fit_lane_inputs).
  const bool one_window = shared_window(*prepared, s.shocks);
  if (!s.inputs.empty()) {
    inputs = std::make_unique<LaneInputs>(*prepared, s, params, touched, touched_central, one_window);
    if (!inputs->direct) inputs.reset();
  }
  if (one_window && (s.inputs.empty() || inputs)) {
    // docs/model.md §25: the same shocks, the triggered ones on from the
    // start for the whole horizon (a step at full weight at every step).
    shocks_on = s.shocks;
    for (Shock& sh : shocks_on) {
      if (!triggered(sh)) continue;
      sh.trigger_regime = -1;
      sh.trigger_strategy = -1;
      sh.trigger_after = 0.0;
      sh.start = 0.0;
      sh.duration = std::numeric_limits<double>::infinity();
    }
    prepared_on = std::make_unique<PreparedModel>(model, &shocks_on);
    window = &*std::find_if(s.shocks.begin(), s.shocks.end(), [](const Shock& sh) { return triggered(sh) && !moves_regime(sh); });
    regime_window = s.inputs.empty() && regime_tables_only(model, s.shocks);
    if (regime_window) {
      per_path = false;
      window_tables.assign(static_cast<std::size_t>(WindowTable::count_) * 2 * model.regimes.size(), 0.0);
    }
  }
  lane_params.varies = lane_varies(model, s, params);
  lane_params.within_year = shock_varies(model, s);
  const LaneVaries& lv = lane_params.varies;
  input_scope = {lv.fields, lv.growth, lv.regime_table, lv.tranches, lv.segment_ar};
  lane_params.inputs = inputs.get();
  if (inputs && inputs->commitment_models) {
    commitment_scope.fields.assign(lv.fields.size(), 0);
    commitment_scope.fields[static_cast<std::size_t>(prepared->global_field(GlobalField::commitments))] = 1;
    commitment_scope.growth.assign(lv.growth.size(), 0);
    const auto moves_commitments = [this](int target) {
      const std::string& name = params[static_cast<std::size_t>(target)].name;
      return name.rfind("commitments[", 0) == 0 || name.rfind("contracts[", 0) == 0;
    };
    for (std::size_t i = 0; i < s.inputs.size(); ++i) {
      const std::vector<int>& targets = s.inputs[i].targets;
      if (std::none_of(targets.begin(), targets.end(), moves_commitments)) continue;
      commitment_inputs.push_back(i);
      for (int target : targets) {
        const auto at = static_cast<std::size_t>(std::find(touched.begin(), touched.end(), target) - touched.begin());
        if (std::none_of(commitment_central.begin(), commitment_central.end(),
                         [target](const std::pair<int, double>& c) { return c.first == target; })) {
          commitment_central.emplace_back(target, touched_central[at]);
        }
      }
    }
  }
  if (!s.inputs.empty() && (!inputs || inputs->commitment_models)) {
    for (int l = 0; l < lanes; ++l) {
      auto& lm = *lane_models.emplace_back(std::make_unique<LaneModel>());
      lm.model = model;
      lm.params = parameter_addresses(lm.model);  // its names are params'
      lm.prepared = std::make_unique<PreparedModel>(lm.model, *prepared);  // lm.model is a copy of model
    }
  }
  z.assign((s.inputs.size() + 3) / 4 * 4 * lanes, 0.0);
  u.assign(z.size(), 0.5);
  x.assign(s.inputs.size() * lanes, 0.0);
  partial.series = PartialSeriesStats(n_series, c.histogram.n_bins, BinRange::tracked);
  partial.default_year.assign(static_cast<std::size_t>(n_years) + 1, 0);
  partial.first_profit_year.assign(static_cast<std::size_t>(n_years) + 1, 0);
  partial.distress.reset(n_years, n_claimants(counterparty_names(model).size()));
  partial.exposure.reset(n_years, exposure_bounds(*prepared, !s.inputs.empty() || has_trigger(s.shocks)));
  exposure_on = partial.exposure.n_counterparties > 0;
  partial.investors.reset(s.model);  // the strategy's, as the totals' (its bounds)
  partial.lenders.reset(n_years, lender_bounds(prepared->model, !s.inputs.empty() || has_trigger(s.shocks)),
                        Claimant::facility);
  lenders_on = partial.lenders.n_counterparties > 0;
  exposure_values.assign(partial.exposure.n_counterparties, Lane{});
  years.resize(static_cast<std::size_t>(n_years) * lanes);
  if (!c.pairs.empty()) {
    // A chunk's blocks may start mid-block: room for one more block.
    chunk.resize(static_cast<std::size_t>(c.chunk_paths + lanes), n_years, partial.exposure.n_counterparties);
  }
}

ThreadScratch::ThreadScratch(const SimulationConfig& c) {
  const int n_years = c.strategies.front().model.n_years;
  const auto n_series = static_cast<std::size_t>(n_stat_vars * n_years + n_outcomes);
  // Reserved, so never relocated: params, prepared and the steppers point into each model.
  strategies.reserve(c.strategies.size());
  for (const Strategy& s : c.strategies) strategies.emplace_back(c, s);
  // docs/model.md §25, contagion: the sources' distress steps, per path of the chunk.
  for (std::size_t i = 0; i < c.strategies.size(); ++i) {
    for (const Shock& sh : c.strategies[i].shocks) {
      if (sh.trigger_strategy < 0) continue;
      StrategyScratch& source = strategies[static_cast<std::size_t>(sh.trigger_strategy)];
      source.distress_source = true;
      source.chunk_distress_step.assign(static_cast<std::size_t>(c.chunk_paths + lanes), -1);
    }
  }
  for (std::size_t i = 0; i < c.strategies.size(); ++i) {
    if (!has_distress_trigger(c.strategies[i].shocks)) continue;
    StrategyScratch& target = strategies[i];
    for (const StrategyScratch& source : strategies) {
      target.sources.push_back(source.distress_source ? &source.chunk_distress_step : nullptr);
    }
    target.lane_distress_step.assign(c.strategies.size(), -1);
  }
  for (const auto& [a, b] : c.pairs) {
    PartialPair& p = pairs.emplace_back(n_series, c.histogram.n_bins, n_years);
    const auto& sa = strategies[static_cast<std::size_t>(a)];
    const auto& sb = strategies[static_cast<std::size_t>(b)];
    p.joint_loss.reset(counterparty_names(c.strategies[static_cast<std::size_t>(a)].model), sa.partial.exposure.bound,
                       counterparty_names(c.strategies[static_cast<std::size_t>(b)].model), sb.partial.exposure.bound);
  }
}

}  // namespace wager::detail
