"""How the event-group threshold was chosen: `python benchmarks/link_threshold.py [GOLD]`.

Codes the gold file once (default tests/data/linking_dev.jsonl), then links it at each
threshold and prints pairwise precision/recall, B-cubed F1 and the groups that merge two
days of fighting, so the threshold in src/eventwire/link/__init__.py can be checked.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from eventwire import link
from eventwire.evaluate import linking
from eventwire.evaluate.gold import read_gold_set
from eventwire.evaluate.run import predict

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "linking_dev.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gold", nargs="?", default=str(DEFAULT))
    args = parser.parse_args()
    items = read_gold_set(args.gold)
    preds = predict(items)
    print(f"shipped threshold {link.LINK_THRESHOLD}")
    print(f"{'threshold':>9}  {'pair P':>6}  {'pair R':>6}  {'B3 F1':>6}  day merges  groups")
    for step in range(20, 95, 5):
        sheet = linking.score_groups(items, preds, step / 100)
        print(
            f"{step / 100:>9.2f}  {sheet['pairwise_precision']:>6.3f}  "
            f"{sheet['pairwise_recall']:>6.3f}  {sheet['b3_f1']:>6.3f}  "
            f"{sheet['groups_merging_days_of_fighting']:>10}  {sheet['predicted_groups']:>6}"
        )


if __name__ == "__main__":
    main()
