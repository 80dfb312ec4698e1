"""Figures of the who-traffics chapter: shares of U.S. citizens beside the claims."""
from __future__ import annotations

import matplotlib.pyplot as plt

from analysis.book.style import add_source, chart_subtitle

SOURCE_KIND_STYLE = {"primary": ("#0072B2", "o"), "secondary": ("#56B4E9", "s"), "unsourced claim": ("#D55E00", "D")}


def shares_beside_claims(rows, title: str, source: str):
    """Dot chart: each row a figure (label, share, source_kind); claims and official figures side by side."""
    figure, axis = plt.subplots(figsize=(8.5, 0.42 * len(rows) + 1.6))
    labels = list(rows["label"])
    for position, row in enumerate(rows.itertuples()):
        color, marker = SOURCE_KIND_STYLE[row.source_kind]
        axis.plot([0, row.share], [position, position], color="#dddddd", linewidth=1, zorder=1)
        axis.scatter(row.share, position, color=color, marker=marker, s=60, zorder=2)
        axis.text(row.share + 0.015, position, f"{row.share:.0%}", va="center", fontsize=8)
    axis.set_yticks(range(len(labels)), labels, fontsize=8)
    axis.invert_yaxis()
    axis.set_xlim(0, 1.08)
    axis.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    axis.set_xlabel("Share who are U.S. citizens")
    axis.set_title(title)
    handles = [plt.Line2D([], [], color=c, marker=m, linestyle="", label=k) for k, (c, m) in SOURCE_KIND_STYLE.items()]
    axis.legend(handles=handles, fontsize=8, loc="lower left", title="Figure", title_fontsize=8)
    figure.tight_layout()
    add_source(figure, source)
    return figure


def shares_beside_claims_chart(rows, title: str, source: str):
    """Interactive (Altair) version of shares_beside_claims: hover a dot for its figure and source kind."""
    import altair as alt

    data = rows[["label", "share", "source_kind"]].copy()
    kinds = list(SOURCE_KIND_STYLE)
    shapes = {"o": "circle", "s": "square", "D": "diamond"}
    chart = (alt.Chart(data).mark_point(filled=True, size=90)
             .encode(x=alt.X("share:Q", title="Share who are U.S. citizens", axis=alt.Axis(format="%"),
                             scale=alt.Scale(domain=[0, 1])),
                     y=alt.Y("label:N", sort=list(data["label"]), title=None, axis=alt.Axis(labelLimit=280)),
                     color=alt.Color("source_kind:N", title="Figure", sort=kinds,
                                     scale=alt.Scale(domain=kinds, range=[SOURCE_KIND_STYLE[k][0] for k in kinds]),
                                     legend=alt.Legend(orient="bottom")),
                     shape=alt.Shape("source_kind:N", sort=kinds,
                                     scale=alt.Scale(domain=kinds, range=[shapes[SOURCE_KIND_STYLE[k][1]] for k in kinds])),
                     tooltip=[alt.Tooltip("label:N", title="Figure"), alt.Tooltip("share:Q", title="U.S. citizens", format=".1%"),
                              alt.Tooltip("source_kind:N", title="Source")])
             .properties(width=250, height=26 * len(data),
                         title=alt.TitleParams(title, anchor="start", frame="bounds", subtitle=chart_subtitle(f"Source: {source}"))))
    return chart, data
