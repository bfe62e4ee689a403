"""Whether LPT's prompt pool routes the two-digit numbers of mnist_pairs(...) by their left (tens) or
right (unit) digit: reads the output of scripts/analysis/pool_usage.ts (per class, the pool entries
the trained queries select most often, top 4 with their counts) and prints, per plan, the entries
ever selected and the mutual information (bits) between the selected entry and the tens digit,
the unit digit and the shot group (classes 0-34 many, 35-68 medium, 69-99 few at ratio 100):
  npx tsx scripts/analysis/pool_usage.ts RUN_DIR --images 20 > usage.txt
  python3 scripts/analysis/pool_digit_groups.py usage.txt
"""
import collections
import math
import re
import sys


def mutual_information(use, group_of):
    joint = collections.Counter()
    for label, entries in use.items():
        for entry, count in entries.items():
            joint[(entry, group_of(label))] += count
    n = sum(joint.values())
    by_entry, by_group = collections.Counter(), collections.Counter()
    for (entry, group), count in joint.items():
        by_entry[entry] += count
        by_group[group] += count
    return sum(c / n * math.log2(c * n / (by_entry[e] * by_group[g])) for (e, g), c in joint.items())


def shot_group(label):
    return "many" if label < 35 else "medium" if label < 69 else "few"


def main(path):
    plan, use = None, {}

    def report():
        if plan is not None and len(use) == 100:
            entries = sorted({e for row in use.values() for e in row})
            print(f"{plan}: entries selected {entries}; MI(entry; tens) {mutual_information(use, lambda c: c // 10):.3f}, "
                  f"MI(entry; unit) {mutual_information(use, lambda c: c % 10):.3f}, "
                  f"MI(entry; shot group) {mutual_information(use, shot_group):.3f} bits")

    for line in open(path):
        row = re.match(r"\s+class (\d+): (.*)", line)
        if row:
            use[int(row.group(1))] = {int(e): int(k) for e, k in re.findall(r"#(\d+) x(\d+)", row.group(2))}
        elif line.strip() and not line[0].isspace():
            report()
            plan, use = line.split(":")[0].strip(), {}
    report()


if __name__ == "__main__":
    main(sys.argv[1])
