"""The package's own words in figures and tables, in English or Chinese.

Names from a model (players, strategies, parameters) are never translated:
they are the model's.  What the package itself writes (axis titles, the four
words of :data:`tripartite.dynamics.stability.CLASSIFICATIONS`, regime
phrases, table headers) is written in the language asked for: ``lang="en"``
(the default) or ``"zh"``, per call, or for every later call with
:func:`set_language`.

A phrase is looked up by its English text; a phrase with fields
(``"Regimes of {model}"``) is looked up by its template, then filled in.
Regime labels built by the sweep (``"low only"``, ``"a and b (bistable)"``)
are translated by :func:`regime_words`.

Examples
--------
>>> words("saddle", "zh"), words("saddle", "en")
('鞍点', 'saddle')
>>> words("Regimes of {model}", "zh", model="平台博弈")
'平台博弈的稳定区域'
>>> regime_words("消极监管/规避/参保 only", "zh")
'仅 消极监管/规避/参保 稳定'
"""

from __future__ import annotations

import re

from ..errors import TripartiteError

__all__ = [
    "LANGUAGES",
    "get_language",
    "point_words",
    "regime_words",
    "set_language",
    "welfare_words",
    "words",
]

#: The languages of the package's own words.
LANGUAGES = ("en", "zh")

_ZH = {
    # classifications and outcomes
    "asymptotically stable": "渐近稳定",
    "unstable": "不稳定",
    "saddle": "鞍点",
    "non-hyperbolic": "非双曲",
    "not converged": "未收敛",
    "not stable": "不稳定",
    # regimes
    "no stable vertex": "无稳定顶点",
    "no stable vertex (cycling)": "无稳定顶点（循环）",
    "boundary": "临界",
    "boundary point": "临界点",
    # figures
    "time": "时间",
    "share": "比例",
    "probability": "概率",
    "precision $\\lambda$": "精度 $\\lambda$",
    "Replicator dynamics": "复制动态",
    "Regimes": "稳定区域",
    "Regimes of {model}": "{model}的稳定区域",
    "{vertex}: stability changes": "{vertex}：稳定性改变",
    "Asymptotically stable vertices": "渐近稳定的顶点",
    "share of initial states": "初始状态所占比例",
    "{model}: basins of attraction": "{model}：吸引域",
    "{samples} initial states ({sampling})": "{samples} 个初始状态（{sampling}）",
    ", {confidence} {interval} intervals": "，{confidence} {interval} 置信区间",
    "{model}replicator dynamics in the state cube{marks}": "{model}状态立方体中的复制动态{marks}",
    "{model}: logit QRE branch (Nash limit {state}, regret {regret})": "{model}：logit QRE 路径（纳什极限{state}，遗憾值 {regret}）",
    "filled: asymptotically stable": "实心：渐近稳定",
    "verified": "已验证",
    "NOT verified": "未验证",
    "{name} (not stable)": "{name}（不稳定）",
    # tables
    "vertex": "顶点",
    "eigenvalues": "特征值",
    "classification": "类型",
    "stable when": "稳定条件",
    "condition for stability": "稳定条件",
    "Stability of the vertices": "各顶点的稳定性",
    "Stability of the vertices of {model}": "{model}各顶点的稳定性",
    "always": "总是",
    "never": "从不",
    "depends": "视参数",
    "undecided": "未判定",
    "symbol": "符号",
    "default": "默认值",
    "unit": "单位",
    "range": "范围",
    "meaning": "含义",
    "section": "章节",
    "parameter": "参数",
    "can be stable": "可否稳定",
    "deviation": "偏离",
    "eigenvalue": "特征值",
    "condition (eigenvalue < 0)": "条件（特征值 < 0）",
    "holds": "成立",
    "sign": "符号",
    "Vertex": "顶点",
    "Deviation": "偏离",
    "Eigenvalue": "特征值",
    "Condition": "条件",
    "Holds": "成立",
    "at point": "取值",
    "Classification": "类型",
    "stable: {verdict}": "稳定：{verdict}",
    "{player} to {strategy}": "{player}改为{strategy}",
    "inside ranges": "范围内部",
    "always inside": "范围内部总是",
    "continued": "续表",
    "continued on the next page": "接下页",
    "Stability of the pure profiles of {model} under the replicator dynamics": "复制动态下{model}各纯策略组合的稳定性",
    "; values at {point}": "；参数取值：{point}",
    "defaults": "默认值",
    (
        "A vertex is asymptotically stable if and only if all its eigenvalues are negative (a strict Nash "
        "equilibrium). Holds: whether the condition holds over the declared parameter ranges."
    ): "注：顶点渐近稳定当且仅当其全部特征值为负（即严格纳什均衡）。成立：该条件在参数的声明范围内是否成立。",
    (
        r"A vertex is asymptotically stable if and only if all its eigenvalues are negative "
        r"(a strict Nash equilibrium). \emph{Holds}: whether the condition holds over the declared "
        r"parameter ranges: always; inside ranges (everywhere except possibly on their boundary); "
        r"never; depends (at some admissible values and not at others); undecided (the analysis "
        r"could not decide)."
    ): (
        r"顶点渐近稳定当且仅当其全部特征值为负（即严格纳什均衡）。\emph{成立}：该条件在参数的声明范围内是否成立："
        r"总是；范围内部（除范围边界外处处成立）；从不；视参数（在部分可取值处成立）；未判定（分析无法判定）。"
    ),
    r" \emph{Classification}: of the vertex at the given values, from the signs of its eigenvalues.": (
        r"\emph{类型}：给定参数取值下由特征值符号判定的顶点类型。"
    ),
    "value": "取值",
    # the text of `tripartite solve` (tripartite.cli.solve.render)
    "Stability of every vertex under the replicator dynamics": "复制动态下各顶点的稳定性",
    "(eigenvalues = each player's gain from switching; asymptotically stable = strict equilibrium):": (
        "（特征值 = 各参与者单独改变策略的收益增量；渐近稳定 = 严格均衡）："
    ),
    "welfare": "福利",
    "Rest points on edges, faces and in the interior:": "棱、面及内部的平衡点：",
    "kind": "类别",
    "state": "状态",
    " (focus)": "（焦点）",
    "  none found": "  未找到",
    "  not complete: {note}": "  不完整：{note}",
    "  set: {text}": "  集合：{text}",
    "Status-quo state ({state})": "现状（{state}）",
    "certified at t = {t}": "于 t = {t} 时经验证",
    "by t = {t}": "至 t = {t}",
    "  converges to: {profile} ({when})": "  收敛到：{profile}（{when}）",
    "  {outcome} by t = {t}; state then: {state}": "  至 t = {t} {outcome}；此时状态：{state}",
    "rest point": "平衡点",
    "cycling": "循环",
    "Welfare: {evaluation} (see docs/welfare.md)": "福利：{evaluation}（见 docs/welfare.md）",
    "  {profile}: welfare {values}": "  {profile}：福利 {values}",
    # how welfare is evaluated and who loses (tripartite.welfare.welfare_description, pareto_comparison)
    "the decision payoffs (no [welfare] table)": "决策收益本身（未声明 [welfare] 表）",
    "the [welfare.payoffs] table at {at}": "[welfare.payoffs] 表（取 {at}）",
    "the [welfare.payoffs] table": "[welfare.payoffs] 表",
    "decision payoffs re-evaluated at {at}": "按 {at} 重新计算的决策收益",
    "a three-lose outcome": "三输局面",
    "an all-{n}-lose outcome": "全部 {n} 方皆输的局面",
    "all three": "三方",
    "all {n} players": "全部 {n} 方",
    "{name}: at {profile} every player is better off ({gains})": (
        "属于{name}：在 {profile} 处，各方的福利都提高（{gains}）"
    ),
    "; {k} profiles make everyone better off": "；共有 {k} 个策略组合使各方的福利都提高",
    "not {name}: no profile gives any player more welfare (the equilibrium is welfare-efficient)": (
        "不属于{name}：没有任何策略组合能提高任何一方的福利（该均衡是福利有效的）"
    ),
    "{player} loses {loss} or more": "{player} 至少损失 {loss}",
    "{player} gains nothing": "{player} 的福利没有提高",
    "where {others} gain, {what} (least at {at}: {gains})": (
        "在 {others} 的福利都提高的纯策略组合中，{what}（损失最小处为 {at}：{gains}）"
    ),
    "where {others} gains, {what} (least at {at}: {gains})": (
        "在 {others} 的福利提高的纯策略组合中，{what}（损失最小处为 {at}：{gains}）"
    ),
    (
        "{name} only against a mixed state: at {state} every player is better off ({gains}); "
        "no pure profile makes {everyone} better off"
    ): "仅相对于混合状态属于{name}：在 {state} 处，各方的福利都提高（{gains}）；没有纯策略组合能使{everyone}的福利都提高",
    "not {name} among pure profiles: no pure profile makes {everyone} better off": (
        "就纯策略组合而言不属于{name}：没有纯策略组合能使{everyone}的福利都提高"
    ),
    ": ": "：",
    "; ": "；",
    "; the closest, {profile}, gives {gains}": "；最接近的是 {profile}，福利变化为 {gains}",
    # payoffs and welfare at each vertex (tripartite.cli.stability)
    "Payoffs ({players}) at each vertex, at the parameters above:": "各顶点的收益（{players}），取上述参数：",
    "Payoffs and welfare ({players}) at each vertex, at the parameters above; welfare: {evaluation}:": (
        "各顶点的收益与福利（{players}），取上述参数；福利：{evaluation}："
    ),
    "Pure Nash equilibria (tolerance {tol}):": "纯策略纳什均衡（容差 {tol}）：",
    "Pure Nash equilibria (tolerance {tol} relative to the payoff scale {scale}):": "纯策略纳什均衡（容差 {tol}，相对于收益尺度 {scale}）：",
    "profile ({players})": "策略组合（{players}）",
    "strict": "严格",
    "payoffs": "收益",
    "  none: no pure profile is a Nash equilibrium": "  无：没有纯策略组合是纳什均衡",
    "complete": "完整",
    "NOT complete": "不完整",
    ", degenerate game": "，退化博弈",
    "exact arithmetic": "精确算术",
    "tolerance {tol}": "容差 {tol}",
    "tolerance {tol} relative to the payoff scale {scale}": "容差 {tol}（相对于收益尺度 {scale}）",
    "All Nash equilibria ({arithmetic}; {status}): {n} found": "全部纳什均衡（{arithmetic}；{status}）：共 {n} 个",
    "pure": "纯策略",
    ", strict": "，严格",
    "mixed": "混合策略",
    "; welfare {values}": "；福利 {values}",
    "[{kind}; payoffs {payoffs}{welfare}]": "［{kind}；收益 {payoffs}{welfare}］",
    # the payoff-and-welfare table of `tripartite stability` (tripartite.io.tables, rows, latex)
    "{player} payoff": "{player}收益",
    "{player} welfare": "{player}福利",
    "Payoffs": "收益",
    "Welfare": "福利",
    "Payoffs and welfare of each player at the vertices of {model}": "{model}各顶点处各参与者的收益与福利",
    "Payoffs of each player at the vertices of {model}": "{model}各顶点处各参与者的收益",
    "Payoffs: the decision payoffs, which the players act on. Welfare: {evaluation}.": (
        "注：收益为各参与者据以决策的决策收益。福利：{evaluation}。"
    ),
    "Payoffs: the decision payoffs, which the players act on; the model declares no welfare apart from them.": (
        "注：收益为各参与者据以决策的决策收益；模型未声明与之不同的福利。"
    ),
    "     note: {note}": "     注：{note}",
    # the components of `tripartite solve --all` (tripartite.cli.solve._render_components)
    " (component {k})": "（分量 {k}）",
    "Components of the set of equilibria ({n}; {coverage}):": "均衡集的分量（{n} 个；{coverage}）：",
    "every equilibrium lies in one of them": "每个均衡都属于其中之一",
    "not shown to hold every equilibrium": "未能证明包含全部均衡",
    "component": "分量",
    "support": "支撑",
    "dimension": "维数",
    "shape": "形状",
    "connected set": "连通集",
    "equilibria": "均衡",
    "point": "点",
    "segment": "线段",
    "polygon": "多边形",
    "polytope": "多面体",
    "curve": "曲线",
    "curved set": "曲面集",
    "not established": "未确定",
    "{name} = {player}'s probability of {strategy}": "{name} = {player}选择{strategy}的概率",
    "  component {k}: ": "  分量 {k}：",
    "    constraints: ": "    约束：",
    "    vertices: ": "    顶点：",
    "    note: {note}": "    注：{note}",
    # the text of `tripartite basins` (tripartite.cli.basins.render)
    "{confidence} {interval} interval": "{confidence} {interval} 区间",
    "wilson": "Wilson",
    "clopper-pearson": "Clopper-Pearson",
    "Basins of attraction: {samples} initial states, {sampling}, to t = {t}": (
        "吸引域：{samples} 个初始状态，{sampling}，积分至 t = {t}"
    ),
    "uniform on the product of simplices (Dirichlet(1) per player)": "在单纯形乘积上均匀抽样（每个参与者 Dirichlet(1)）",
    "regular grid of interior states, shares in steps of 1/{resolution}": "内部状态的规则网格，比例步长 1/{resolution}",
    "initial states given by the caller": "调用者给定的初始状态",
    " (not asymptotically stable)": "（非渐近稳定）",
    "mixed rest points": "混合平衡点",
    "not converged (cycling or still moving)": "未收敛（循环或仍在运动）",
    "stable state ({players})": "稳定状态（{players}）",
    "count": "个数",
    "Status quo converges to: {where}": "现状收敛到：{where}",
    "  no push towards ({goal}) along the straight line reaches its basin": (
        "  沿直线朝（{goal}）的推动均无法进入其吸引域"
    ),
    " (basin not convex along the push: larger pushes can fail)": "（吸引域沿推动方向非凸：更大的推动可能失败）",
    "  to reach ({goal}): push {alpha} of the way towards it; "
    "share of each population that must switch: {moved}{note}": (
        "  要到达（{goal}）：朝其推动全程的 {alpha}；各群体须改变策略的比例：{moved}{note}"
    ),
    # the sentences of `tripartite stability` (tripartite.io.tables.stability_text)
    "parameters: {point}": "参数：{point}",
    "Replicator equations ({states}):": "复制动态方程（{states}）：",
    (
        "Vertices: eigenvalues of the Jacobian and the condition for asymptotic stability "
        "(every eigenvalue < 0);"
    ): "顶点：雅可比矩阵的特征值及渐近稳定的条件（全部特征值 < 0）；",
    (
        "'holds' / 'can be stable' are verdicts over the declared parameter ranges; value, sign and "
        "classification at the parameters above:"
    ): "“成立”与“可否稳定”是在参数声明范围内的判定；取值、符号与类型为上述参数下的结果：",
    "Rest points on edges, faces and in the interior at the parameters above:": "上述参数下棱、面及内部的平衡点：",
    "none on edges, faces or in the interior (only the vertices)": "棱、面及内部均无平衡点（仅有顶点）",
    "rest points beyond the vertices are computed for two strategies per player": (
        "仅当每个参与者有两个策略时计算顶点以外的平衡点"
    ),
    "{players} mixing": "{players} 混合",
    "not classified": "未分类",
    "characteristic polynomial: {polynomial}": "特征多项式：{polynomial}",
    "coefficients at the point (lambda**n + c1*lambda**(n-1) + ... + cn): {values}": (
        "该点的系数（lambda**n + c1*lambda**(n-1) + ... + cn）：{values}"
    ),
    "Routh-Hurwitz ({verdict}):": "Routh-Hurwitz 判据（{verdict}）：",
    "all hold: asymptotically stable": "全部成立：渐近稳定",
    "not all hold: not asymptotically stable": "并非全部成立：非渐近稳定",
    "Verdicts: {verdicts}.": "判定：{verdicts}。",
    "holds at every admissible parameter point": "在每个可取参数点成立",
    "holds everywhere inside the declared ranges, perhaps not on their boundary": "在声明范围内部处处成立，边界上未必",
    "holds at no admissible point": "在任何可取参数点均不成立",
    "holds at some admissible points and not at others": "在部分可取参数点成立，其他点不成立",
    "could not be decided (a verdict on the analysis, not on the model)": "无法判定（这是对分析的判定，而非对模型）",
    # parameter and payoff tables (tripartite.io.latex)
    "Symbol": "符号",
    "Name": "名称",
    "Default": "默认值",
    "Unit": "单位",
    "Range": "取值范围",
    "Meaning": "含义",
    "Source of the default": "默认值来源",
    "Parameters of {model}": "{model}的参数",
    "Profile": "策略组合",
    "Payoff matrix of {model}": "{model}的支付矩阵",
    "Each row: a pure profile (strategies in player order) and every player's payoff.": (
        "注：每行为一个纯策略组合（按参与者顺序列出策略）及各参与者的支付。"
    ),
    # Word and Excel tables (tripartite.io.rows)
    "Kind": "位置",
    "Shares": "比例",
    "above": "临界值以上",
    "below": "临界值以下",
    "Eigenvalues": "特征值",
    "Routh-Hurwitz conditions": "Routh-Hurwitz 条件",
    "Rest points off the vertices of {model}": "{model}顶点以外的平衡点",
    (
        "Routh-Hurwitz: an interior rest point is asymptotically stable if and only if every condition is "
        "positive at the point."
    ): "注：Routh-Hurwitz 判据：内部平衡点渐近稳定当且仅当各条件在该点均为正。",
    "fails": "不成立",
    "yes": "是",
    "no": "否",
    "edge": "棱",
    "face": "面",
    "interior": "内部",
    "Critical value": "临界值",
    "Exact": "精确值",
    "Value": "数值",
    "In range": "在范围内",
    "Eigenvalue < 0": "特征值 < 0",
    "Stability changes": "稳定性改变",
    "Critical values of {parameter} in {model}": "{model}中 {parameter} 的临界值",
    "Critical value: where a vertex eigenvalue is zero, the other parameters at the point.": (
        "注：临界值为顶点特征值为零之处，其他参数取给定值。"
    ),
    "Asymptotically stable vertices as {parameter} varies": "{parameter} 变化时渐近稳定的顶点",
    "From": "下限",
    "To": "上限",
    "Regime changes as {parameter} varies": "{parameter} 变化时稳定格局的变化",
    "Below": "阈值以下",
    "Above": "阈值以上",
    "Where": "条件",
    "Lever": "政策杠杆",
    "Now": "当前值",
    "Threshold": "阈值",
    "Change": "变动",
    "Then stable": "变动后稳定",
    "From low goes to": "自低水平均衡演化至",
    "Status quo goes to": "自现状演化至",
    "Condition that fails": "失效的条件",
    "Escape from {vertex}, one lever at a time": "逐一调整单个政策杠杆以脱离{vertex}",
    "Least-cost package making {target} the only asymptotically stable vertex": (
        "使{target}成为唯一渐近稳定顶点的最低成本政策组合"
    ),
    "Package": "组合取值",
    "Weight": "权重",
    "cost": "成本",
    "optimum: {kind}": "最优性：{kind}",
    "method: {method}": "方法：{method}",
    "infeasible within the levers' admissible ranges; binding:": "在各杠杆的可取范围内不可行；起约束作用的条件：",
    # simulation figures
    "shares over time": "各群体比例随时间的演化",
    "share of {strategy}": "{strategy}的比例",
    "{value:g} from t = {t:g}": "t = {t:g} 起为 {value:g}",
    "sensitivity to {name} from {state}": "初始状态 {state} 下对 {name} 的敏感性",
    "population": "群体",
    "paths in the state cube": "状态立方体中的演化路径",
    "ends at {profile}": "收敛至 {profile}",
    "ends elsewhere": "未收敛至顶点",
    "start": "起点",
    "end": "终点",
    "stable vertex": "稳定顶点",
    "stable at some values": "部分取值下稳定",
}

_language = "en"


def _check(lang: str) -> str:
    if lang not in LANGUAGES:
        raise TripartiteError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return lang


def set_language(lang: str) -> None:
    """Write the package's own words in ``lang`` (``"en"`` or ``"zh"``) from now on.

    Examples
    --------
    >>> set_language("en")
    """
    global _language
    _language = _check(lang)


def get_language() -> str:
    """The language set by :func:`set_language` (``"en"`` unless changed)."""
    return _language


def words(phrase: str, lang: str | None = None, **fields: object) -> str:
    """``phrase`` (an English phrase or template of this module) in ``lang``, with ``fields`` filled in.

    A phrase this module does not know is returned as it is (it is a name).
    """
    lang = _check(lang) if lang is not None else _language
    template = _ZH.get(phrase, phrase) if lang == "zh" else phrase
    return template.format(**fields) if fields else template


_ONLY = re.compile(r"^(?P<v>.+) only$")
_BISTABLE = re.compile(r"^(?P<a>.+) and (?P<b>.+) \(bistable\)$")


def point_words(point: str, lang: str | None = None) -> str:
    """A parameter point as :func:`tripartite.io.text.point_text` writes it (``defaults except nu=0.5``), in ``lang``.

    Examples
    --------
    >>> point_words("defaults except nu=0.5", "zh")
    '默认值（其中 nu=0.5）'
    """
    lang = _check(lang) if lang is not None else _language
    if lang == "en" or not point.startswith("defaults"):
        return point
    rest = point[len("defaults") :].removeprefix(" except ")
    return "默认值" + (f"（其中 {rest}）" if rest else "")


def regime_words(regime: str, lang: str | None = None) -> str:
    """A sweep regime label (``"low only"``, ``"low and high (bistable)"``, ``"boundary"``, ...) in ``lang``."""
    lang = _check(lang) if lang is not None else _language
    if lang == "en":
        return regime
    if regime in _ZH:
        return _ZH[regime]
    if m := _BISTABLE.match(regime):
        return f"{m['a']} 与 {m['b']} 双稳"
    if m := _ONLY.match(regime):
        return f"仅 {m['v']} 稳定"
    return regime


#: The ways :func:`tripartite.welfare.welfare_description` says how welfare is evaluated (English templates).
_WELFARE_EVALUATIONS = (
    "the decision payoffs (no [welfare] table)",
    "the [welfare.payoffs] table at {at}",
    "the [welfare.payoffs] table",
    "decision payoffs re-evaluated at {at}",
)


def welfare_words(evaluation: str, lang: str | None = None) -> str:
    """How welfare is evaluated, as a record says it in English (``record["welfare"]["evaluation"]``), in ``lang``.

    The record's sentence is :func:`tripartite.welfare.welfare_description` in
    English; the parameter values in it are names and stay as they are.  A
    sentence of another form is returned as it is.

    Examples
    --------
    >>> welfare_words("decision payoffs re-evaluated at beta = 1, lam = 1, a = 1", "zh")
    '按 beta = 1, lam = 1, a = 1 重新计算的决策收益'
    """
    lang = _check(lang) if lang is not None else _language
    for template in _WELFARE_EVALUATIONS:
        pattern = re.escape(template).replace(re.escape("{at}"), "(?P<at>.+)")
        if m := re.fullmatch(pattern, evaluation):
            return words(template, lang, **m.groupdict())
    return evaluation
