"""`eventwire explain "sentence"`: the parse, triggers, rules and model scores behind records.

Imports stay lazy (spaCy loads only when the command runs) so `eventwire --help` is instant.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: Any) -> None:
    """Add the subcommand to the main parser."""
    from eventwire.cli import day

    p = sub.add_parser("explain", help="show why a sentence gives the records it gives")
    p.add_argument("text", nargs="+", help="the sentence(s) to explain; - reads stdin")
    p.add_argument("--date", type=day, help="publication date YYYY-MM-DD (anchors dates)")
    p.add_argument("--json", action="store_true", help="the full report as JSON")
    p.add_argument("--no-parse", action="store_true", help="leave the token table out")
    p.set_defaults(func=cmd_explain)


def cmd_explain(args: argparse.Namespace) -> int:
    from eventwire.extraction.explain import explain_text

    text = sys.stdin.read() if args.text == ["-"] else " ".join(args.text)
    if not text.strip():
        print("eventwire explain: error: no text given", file=sys.stderr)
        return 2
    report = explain_text(text, args.date)
    if args.json:
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        print(render(report, parse=not args.no_parse))
    return 0


def _parse(report: dict[str, Any]) -> list[str]:
    lines = ["PARSE", f"  {'i':>3} {'text':<16} {'lemma':<14} {'pos':<6} {'dep':<10} head ent"]
    for t in report["tokens"]:
        lines.append(
            f"  {t['i']:>3} {t['text'][:16]:<16} {t['lemma'][:14]:<14} {t['pos']:<6}"
            f" {t['dep']:<10} {t['head']:>4} {t['ent']}"
        )
    return lines


def _mentions(report: dict[str, Any]) -> list[str]:
    lines = ["ACTOR MENTIONS"]
    for m in report["mentions"]:
        tag = "/".join(x for x in (m["code"], m["sector"]) if x)
        office = f", {m['office']}" if m["office"] else ""
        lines.append(
            f"  '{m['text']}' ({m['kind']}) -> {m['name']} [{tag}{office}] by {m['resolution']}"
        )
    return lines if len(lines) > 1 else lines + ["  none"]


def _candidates(report: dict[str, Any]) -> list[str]:
    lines = ["TRIGGERS (lexicon matches) AND WHAT BECAME OF THEM"]
    for c in report["candidates"]:
        typed = c["event_type"] + (f" ({', '.join(c['modes'])})" if c["modes"] else "")
        lines.append(
            f"  s{c['sentence']} '{c['phrase']}' <- entry '{c['entry']}' [{c['lexicon_type']}]"
        )
        lines.append(
            f"      {c['outcome'].upper()}: {typed if c['outcome'] == 'frame' else ''}"
            f"{' - ' if c['outcome'] == 'frame' else ''}{c['reason']}"
        )
    return lines if len(lines) > 1 else lines + ["  none: no word of the text is in the lexicon"]


def _scores(scores: list[list[Any]]) -> str:
    return ", ".join(f"{label} {prob:.2f}" for label, prob in scores)


def _model(report: dict[str, Any]) -> list[str]:
    lines = ["MODEL (linear classifier over the clause's wording)"]
    for t in report["model"]:
        if t["step"] == "classify":
            d = t["decision"]
            lines.append(
                f"  s{t['sentence']} rule {t['rule_type']} ({t['rule_confidence']:.2f})"
                f" | model {_scores(t['scores'])}"
            )
            lines.append(
                f"      -> {d['event_type']} decided by {d['decided_by']},"
                f" confidence {d['confidence']:.2f}"
                + (
                    " (a tense/condition rule: the model may not undo it)"
                    if t["structural"]
                    else ""
                )
            )
        else:
            lines.append(f"  s{t['sentence']} no rule frame | model {_scores(t['scores'])}")
            lines.append(f"      -> {t['outcome']}")
    return lines if len(lines) > 1 else lines + ["  no frame and no sentence to score"]


def _records(report: dict[str, Any]) -> list[str]:
    lines = ["RECORDS"]
    for r in report["records"]:
        names = ", ".join(a.get("name") or a.get("entity_text") or "?" for a in r["actor"])
        recips = ", ".join(a.get("name") or a.get("entity_text") or "?" for a in r["recipient"])
        cameo = r.get("cameo") or {}
        lines.append(
            f"  {r['event'][0]} {r['mode'] or ''} '{r['trigger']}': {names or '-'}"
            f" -> {recips or '-'} [{r['factuality']}, {r['date'] or 'no date'}]"
        )
        lines.append(
            f"      decided by {r['decided_by']}, confidence {r['confidence']:.2f};"
            f" CAMEO {cameo.get('event_code')}; contexts {', '.join(r['context']) or '-'}"
        )
        lines.append(f"      rule: {r['rule']}")
    for merged in report["merged"]:
        lines.append(f"  (merged) {merged}")
    return lines if len(lines) > 1 else lines + ["  none"]


def render(report: dict[str, Any], parse: bool = True) -> str:
    """The report as text for a terminal."""
    parts: list[str] = []
    for i, sent in enumerate(report["sentences"]):
        parts.append(f"s{i}: {sent}")
    parts.append("")
    if parse:
        parts += _parse(report) + [""]
    for section in (_mentions, _candidates, _model, _records):
        parts += section(report) + [""]
    parts.append(f"document contexts: {', '.join(report['contexts']) or '-'}")
    return "\n".join(parts)
