#!/usr/bin/env python3
"""Writes a small census-like CSV (the columns of the UCI census-income data the SageMaker Processing walkthrough
uses), deterministically and without any download:  python3 generate_data.py [rows] [out.csv]"""
import csv
import random
import sys

EDUCATION = [" Children", " High school graduate", " Some college but no degree", " Bachelors degree(BA AB BS)",
             " Masters degree(MA MS MEng MEd MSW MBA)", " 10th grade", " Associates degree-occup /vocational",
             " Doctorate degree(PhD EdD)", " Prof school degree (MD DDS DVM LLB JD)"]
INDUSTRY = [" Not in universe or children", " Retail trade", " Manufacturing-durable goods", " Education",
            " Finance insurance and real estate", " Construction", " Business and repair services",
            " Hospital services", " Public administration", " Transportation"]
WORKER = [" Not in universe", " Private", " Self-employed-not incorporated", " Local government",
          " State government", " Federal government", " Self-employed-incorporated"]
HEADER = ["age", "class of worker", "education", "major industry code", "capital gains", "capital losses",
          "dividends from stocks", "num persons worked for employer", "income"]


def row(rng: random.Random) -> list:
    age = rng.randint(0, 90)
    edu = rng.randrange(len(EDUCATION)) if age >= 16 else 0
    worker = rng.randrange(1, len(WORKER)) if 18 <= age <= 70 and rng.random() < 0.8 else 0
    industry = rng.randrange(1, len(INDUSTRY)) if worker else 0
    gains = rng.choice([0] * 9 + [rng.randint(100, 20000)])
    losses = rng.choice([0] * 15 + [rng.randint(100, 3000)])
    dividends = rng.choice([0] * 5 + [rng.randint(1, 5000)])
    persons = rng.randint(0, 6) if worker else 0
    score = edu * 0.5 + (gains > 0) * 2 + (dividends > 0) + (worker in (5, 6)) + (30 <= age <= 60)
    income = " 50000+." if score + rng.random() * 3 > 6 else " - 50000."
    return [age, WORKER[worker], EDUCATION[edu], INDUSTRY[industry], gains, losses, dividends, persons, income]


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    out = sys.argv[2] if len(sys.argv) > 2 else "data/census-income.csv"
    rng = random.Random(20200523)
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for _ in range(rows):
            w.writerow(row(rng))


if __name__ == "__main__":
    main()
