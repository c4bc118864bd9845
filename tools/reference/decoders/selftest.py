"""Hand-worked checks of the reference's selection rules against decoders.md's own examples; the
generator runs them before writing anything."""
from .rules import Trace, dream_time, factor_rule, threshold_rule, top_k, transfer_counts


def run():
    t = Trace(mask_id=-1)
    t.begin()
    # §2.3: 10 masks over 4 steps -> 3, 3, 2, 2.
    assert transfer_counts(10, 4) == [3, 3, 2, 2]
    assert transfer_counts(3, 8) == [1, 1, 1, 0, 0, 0, 0, 0]
    # §1.6: equal scores go to the lower position.
    assert top_k({7: 0.5, 3: 0.5, 9: 0.9}, 2, t, "tie") == [9, 3]
    # §3.3 threshold rule: the top-1 always (forced below τ), plus every c ≥ τ.
    assert threshold_rule({1: 0.3, 2: 0.5}, 0.9, t) == [(2, "forced-top1")]
    assert sorted(threshold_rule({1: 0.95, 2: 0.5, 3: 0.92}, 0.9, t)) == [(1, "threshold"), (3, "threshold")]
    # §3.3 factor rule with f = 1: θ_2 = 0.667, θ_3 = 0.75, θ_4 = 0.8.
    assert [p for p, _ in factor_rule({1: 0.99, 2: 0.7, 3: 0.7, 4: 0.1, 5: 0.05}, 1.0, t)] == [1, 2]
    # §3.6 quirk: only the last of N candidates fails -> all N are committed.
    assert [p for p, _ in factor_rule({1: 0.99, 2: 0.9, 3: 0.1}, 1.0, t)] == [1, 2, 3]
    # ... but a failure before the last stops there.
    assert [p for p, _ in factor_rule({1: 0.99, 2: 0.1, 3: 0.05}, 1.0, t)] == [1]
    # §2.7: with eps > 0 and steps == M, step 0 transfers ⌊M(1 − t_1/t_0)⌋ = 0.
    m = 256
    assert int(m * (1 - dream_time(1, m, 1e-3) / dream_time(0, m, 1e-3))) == 0
    assert t.near_tie is None
