"""The baseline model's formulas from MODEL.md, written out independently of the package."""

ACTIVE, PASSIVE = 0, 1
SHARE, SHIRK = 0, 1
ENROLL, LAPSE = 0, 1


def reference_payoffs(v, A, S, E, x_S=0.0, x_E=0.0):
    """MODEL.md's indicator formulas, written out directly, at the state shares ``x_S``, ``x_E``."""
    q_eff = v["q"] + (1 - v["q"]) * v["d"]
    nu_eff = v["nu"] + (1 - v["nu"]) * v.get("nu_T", 0) * (1 - x_E)
    a_eff = v["a"] + (1 - v["a"]) * nu_eff
    # the pension fund's and the injury pool's net receipts, weighted by w_F (independent of A)
    fund = E * (v["c"] + S * v["k"] * v["c_p"] - v["mu_F"] * (v["B"] + S * v["b_p"])) + S * (
        v["m"] - v["p"] * v["theta"] * v["L"]
    )
    gov = (
        v["V_E"] * E
        + v["V_S"] * S
        - v["K"] * (1 - S) * (1 - E) * (1 - A)
        + v["w_F"] * fund
        + A * (-v["C"] * (1 - v["rho"] * v["d"]) - v["s"] * E - v["t"] * S + q_eff * v["f"] * (1 - S))
    )
    plat = (
        v["Pi"]
        + S * (-v["k"] * v["c_p"] * E - v["m"] + v["r"] + v["pi_E"] * E + v["t"] * A)
        - (1 - S) * (q_eff * v["f"] * A + v["p"] * v["R"] * (1 - E) + v.get("ell", 0) * (1 - x_S))
    )
    work = (
        v["y"]
        - v["p"] * v["L"] * (1 - v["theta"] * S)
        + E
        * (
            a_eff * v["beta"] * (v["B"] + v["b_p"] * S)
            + v["s"] * A
            - v["lam"] * v["c"] * (1 + v["kappa"] * v["sigma"] * (1 - v["phi"]))
            - v["h"] * (1 - nu_eff)
        )
    )
    return gov, plat, work


def low_gains(v):
    """MODEL.md's deviation gains at (passive, shirk, lapse): government, platform, worker.

    There every platform shirks and every worker lapses (``x_S = x_E = 0``):
    the ladder ``ell`` and the reminders ``nu_T`` act at full strength.
    """
    q_eff = v["q"] + (1 - v["q"]) * v["d"]
    nu_eff = v["nu"] + (1 - v["nu"]) * v.get("nu_T", 0)
    a_eff = v["a"] + (1 - v["a"]) * nu_eff
    gov = v["K"] + q_eff * v["f"] - v["C"] * (1 - v["rho"] * v["d"])
    plat = v["p"] * v["R"] + v["r"] - v["m"] + v.get("ell", 0)
    work = (
        a_eff * v["beta"] * v["B"]
        - v["lam"] * v["c"] * (1 + v["kappa"] * v["sigma"] * (1 - v["phi"]))
        - v["h"] * (1 - nu_eff)
    )
    return gov, plat, work
