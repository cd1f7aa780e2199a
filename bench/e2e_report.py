#!/usr/bin/python3
"""bench/e2e.sh's bookkeeping: turns one timed run into a JSON line (record), and the JSON lines into the table
(table). Standard library only.

    e2e_report.py record --tool nnc|pytorch --case mlp --batch 64 --epochs 5 --setting S --repeat 1 \\
                         --stdout FILE --time FILE          (prints one JSON line)
    e2e_report.py table RESULTS.jsonl

record reads what the run printed — `nnc train`'s text ("training … on N samples",
"epoch i/E  loss L … R samples/s  X s", "test: loss L, accuracy A %") or torch_train.py's JSON lines — and `/usr/bin/time -f '%e %M'`'s wall seconds and
peak resident set (KB). It fails, naming the file, when a run did not print every epoch and a test result.
"""
import json
import os
import re
import statistics
import sys


def record(args):
    opts = dict(zip(args[::2], args[1::2]))
    tool = opts["--tool"]
    with open(opts["--stdout"], encoding="utf-8") as f:
        text = f.read()
    run = (parse_nnc if tool == "nnc" else parse_pytorch)(text)
    epochs = int(opts["--epochs"])
    missing = [what for what, ok in (("the number of samples", run.get("samples") is not None),
                                     (f"{epochs} epochs (got {len(run['epoch_seconds'])})", len(run["epoch_seconds"]) == epochs),
                                     ("a test accuracy", run.get("test_accuracy") is not None)) if not ok]
    if missing:
        raise SystemExit(f"e2e_report: {opts['--stdout']}: missing from what {tool} printed: " + ", ".join(missing))
    with open(opts["--time"], encoding="utf-8") as f:
        wall, rss_kb = f.read().split()[-2:]  # the last line: a failing command's note comes before it
    print(json.dumps({"tool": tool, "case": opts["--case"], "batch": int(opts["--batch"]), "epochs": epochs,
                      "setting": opts["--setting"], "repeat": int(opts["--repeat"]), **run,
                      "wall_s": float(wall), "peak_rss_mb": round(int(rss_kb) / 1024, 1),
                      "loadavg": round(os.getloadavg()[0], 2)}))


def parse_nnc(text):
    run = {"samples": None, "epoch_seconds": [], "epoch_loss": [], "test_loss": None, "test_accuracy": None}
    for line in text.splitlines():
        if m := re.match(r"training .* on ([\d,]+) samples", line):
            run["samples"] = int(m[1].replace(",", ""))
        elif m := re.match(r"epoch\s+\d+/\d+\s+loss (\S+)\s.*\s([\d,]+) samples/s\s+([\d.]+) s$", line):
            # the seconds are printed to 0.01 s, the rate to 7 digits or so (the notes' network's epochs take
            # 0.02 s): the seconds come from the rate, which must agree with the seconds printed
            rate, printed = float(m[2].replace(",", "")), float(m[3])
            precise = run["samples"] / rate if run["samples"] and rate else printed
            if abs(precise - printed) > 0.0051:
                raise SystemExit(f"e2e_report: nnc's epoch line says {rate:,.0f} samples/s of {run['samples']:,} samples "
                                 f"but {printed} s: {line}")
            run["epoch_loss"].append(float(m[1]))
            run["epoch_seconds"].append(round(precise, 5))
        elif m := re.match(r"test: loss (\S+?)(?:, accuracy ([\d.]+) %)? on", line):
            run["test_loss"] = float(m[1])
            run["test_accuracy"] = round(float(m[2]) / 100, 6) if m[2] else None
    return run


def parse_pytorch(text):
    run = {"epoch_seconds": [], "epoch_loss": []}
    for line in text.splitlines():
        r = json.loads(line)
        if r["event"] == "start":
            run.update(samples=r["samples"], threads=r["threads"], torch=r["torch"], blas=r["blas"],
                       openblas_coretype=r["openblas_coretype"])
        elif r["event"] == "epoch":
            run["epoch_seconds"].append(r["seconds"])
            run["epoch_loss"].append(r["loss"])
        elif r["event"] == "test":
            run.update(test_loss=r["loss"], test_accuracy=r["accuracy"])
    return run


MANY = 8  # more epochs than this: the first three each, then the median of the rest


def table(path):
    runs = [json.loads(line) for line in open(path, encoding="utf-8")]
    cases = list(dict.fromkeys((r["case"], r["batch"], r["epochs"]) for r in runs))
    for case in cases:
        mine = [r for r in runs if (r["case"], r["batch"], r["epochs"]) == case]
        nnc = summary([r for r in mine if r["tool"] == "nnc"])
        settings = list(dict.fromkeys(r["setting"] for r in mine if r["tool"] == "pytorch"))
        torch = {s: summary([r for r in mine if r["tool"] == "pytorch" and r["setting"] == s]) for s in settings}
        # PyTorch at its fastest: the best setting for the epochs, and (maybe another) for the whole process
        fast = min(torch, key=lambda s: torch[s]["epochs_s"]) if torch else None
        quick = min(torch, key=lambda s: torch[s]["wall_s"]) if torch else None
        t, q = torch.get(fast), torch.get(quick)
        name, batch, epochs = case
        print(f"\n{name}, batch {batch}, {epochs} epoch{'s' if epochs > 1 else ''} of {mine[0]['samples']:,} samples; "
              f"medians of {nnc['runs'] if nnc else 0} nnc run(s)" + (f", {t['runs']} per PyTorch setting" if t else ""))
        rows = [["", "nnc", "samples/s", "PyTorch", "samples/s", "PyTorch/nnc"]]

        def timed(label, a, b, samples=None):
            rate = lambda s: f"{samples / s:,.0f}" if samples and s else ""
            rows.append([label, seconds(a), rate(a), seconds(b), rate(b), ratio(b, a)])

        samples = mine[0]["samples"]
        shown = range(epochs) if epochs <= MANY else range(3)
        for e in shown:
            timed(f"epoch {e + 1}", nnc and nnc["epoch_s"][e], t and t["epoch_s"][e], samples)
        if epochs > MANY:
            rest = lambda s: statistics.median(s["epoch_s"][3:]) if s else None
            timed(f"epochs 4-{epochs}, median", rest(nnc), rest(t), samples)
        timed("epochs, total", nnc and nnc["epochs_s"], t and t["epochs_s"], samples * epochs)
        timed("whole process", nnc and nnc["wall_s"], q and q["wall_s"])
        rows.append(["test accuracy", percent(nnc and nnc["accuracy"]), "", percent(t and t["accuracy"]), "", ""])
        rows.append(["peak RSS", megabytes(nnc and nnc["rss_mb"]), "", megabytes(q and q["rss_mb"]), "", ""])
        print(aligned(rows))
        if torch:
            every = ", ".join(f"{s} {torch[s]['epochs_s']:.2f} / {torch[s]['wall_s']:.2f} s" for s in settings)
            print(f"PyTorch's setting: {fast} for the epochs, {quick} for the whole process (threads: default, N, or "
                  f"PyTorch:OpenBLAS); every setting, epochs / whole process: {every}")
    first = next((r for r in runs if r["tool"] == "pytorch"), None)
    if first:
        print(f"\nPyTorch {first['torch']}, BLAS {first['blas']}, OPENBLAS_CORETYPE={first['openblas_coretype'] or '(unset)'}; "
              f"ratios are PyTorch's time / nnc's; every run is in {path}")


def summary(runs):
    """Medians over the repeats of one tool and setting: each epoch, the epochs' sum, the whole process, RSS."""
    if not runs:
        return None
    med = statistics.median
    return {"runs": len(runs),
            "epoch_s": [med(r["epoch_seconds"][e] for r in runs) for e in range(runs[0]["epochs"])],
            "epochs_s": med(sum(r["epoch_seconds"]) for r in runs),
            "wall_s": med(r["wall_s"] for r in runs),
            "rss_mb": med(r["peak_rss_mb"] for r in runs),
            "accuracy": med(r["test_accuracy"] for r in runs)}


def seconds(s):
    return "-" if s is None else f"{s:.2f} s" if s >= 1 else f"{s:.3f} s"


def ratio(a, b):
    return "-" if a is None or b is None else f"{a / b:.2f}x"


def percent(a):
    return "-" if a is None else f"{100 * a:.2f} %"


def megabytes(m):
    return "-" if m is None else f"{m:,.0f} MB"


def aligned(rows):
    w = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w[i]) if i == 0 else c.rjust(w[i]) for i, c in enumerate(r)).rstrip() for r in rows)


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "record":
        record(sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "table":
        table(sys.argv[2])
    else:
        raise SystemExit(__doc__)
