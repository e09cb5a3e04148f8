// The resolution of one company in distress (docs/model.md §27), from its
// state at the step it could not pay.
#pragma once

#include <vector>

#include "wager/distress.hpp"
#include "wager/model.hpp"
#include "prepared_model.hpp"

namespace wager::detail {

/// A company's state at the step it could not pay (US$ bn; rates per year).
struct DistressInputs {
  double facility_drawn = 0.0;         ///< the credit facility drawn
  bool facility_secured = false;       ///< whether it is a first lien (Model::credit_secured)
  double debt = 0.0;                   ///< all debt, the facility included
  double cash = 0.0;                   ///< < 0: the step's obligations left unpaid; > 0: the estate's (a covenant breach)
  double payable = 0.0;                ///< payments the supporting suppliers deferred (§11, 8.), still owed
  double commitments_remaining = 0.0;  ///< payments due after this step, penalties included
  double commitment_rate = 0.0;        ///< the current payments, per year
  double going_concern_flow = 0.0;     ///< the cash flow of the business without its commitments, per year
  double discount_rate = 0.12;         ///< the regime's
  double owned_book = 0.0;             ///< book value of owned capacity
  double spot_price = 1.0;             ///< the regime's spot price / contract price
  /// Per supplier (counterparty_names): its payments due after this step and its
  /// current payments per year, as commitments_remaining and commitment_rate
  /// (empty: the contracts are one claim).
  std::vector<double> counterparty_remaining, counterparty_rate;
};

/// The payments of `pm` due after step k (k = -1: all of them), by
/// supplier, into `out` (n_counterparties of them).
void due_after(const PreparedModel& pm, int k, double* out);

/// due_after(pm, k) at every year's last step k = (y + 1) * spy - 1, into
/// out[y * n_counterparties + c] (n_years * n_counterparties values), to the
/// same bits, in one pass over the steps.
void due_after_year_ends(const PreparedModel& pm, double* out);

/// Per step k and supplier, [k * n_counterparties + c]: the payments of
/// `pm` due after step k split by its suppliers' shares (share_at).
std::vector<double> counterparty_after(const PreparedModel& pm);

/// Fills `in`'s counterparty_remaining and counterparty_rate at step `k`
/// from the commitments of `pm` (a lane's model: its stresses and inputs
/// included), split by its suppliers' shares (share_at), times `owed_share`; `kept`
/// (0 or 1) adds back a failed supplier's contract its estate kept.
/// `after`: counterparty_after of `pm` if known (else null: summed here,
/// in the same order, to the same bits).
void counterparty_commitments(DistressInputs& in, const PreparedModel& pm, const double* after, int k,
                              double owed_share, double kept);
/// Each supplier's payments still due after step k, `later_due` (due_after(pm, k)),
/// times `owed_share`, with a failed supplier's contract its estate kept
/// (`kept` > 0) added back, into `out` (n_counterparties values).
void supplier_remaining(const PreparedModel& pm, const double* later_due, int k, double owed_share, double kept,
                        double* out);
/// The same from `later`, due_after(pm, k) (n_counterparties values).
void counterparty_commitments_from(DistressInputs& in, const PreparedModel& pm, const double* later, int k,
                                   double owed_share, double kept);

/// Claims, values, the decision and the recoveries; `distress_step` and
/// `steps` (the duration in steps) date it.
DistressResult resolve_distress(const DistressInputs& in, const DistressResolution& rule, int distress_step,
                                int steps);
/// The same into `r`, every field set (its vectors keep their room).
void resolve_distress(const DistressInputs& in, const DistressResolution& rule, int distress_step, int steps,
                      DistressResult& r);

/// The duration of `rule` in whole steps of `dt` years (rounded up).
int resolution_steps(const DistressResolution& rule, double dt);

}  // namespace wager::detail
