"""The generated instruction tasks: one generator per task, each a function of a random.Random
that returns (prompt, answer). Exact answers, so every task is scored by string match (word
problems by their "The answer is N")."""
import functools
import itertools
import os
import re
from collections import Counter

from .common import RUNS_DIR

TASKS = ["addition", "subtraction", "multiplication", "word-problems",
         "sort", "reverse", "spell-number", "sudoku"]
SCORERS = {t: "exact" for t in TASKS}
SCORERS["word-problems"] = "answer-is"

# ---------------------------------------------------------------- arithmetic


def _ndigit(rng, lo=2, hi=4):
    d = rng.randint(lo, hi)
    return rng.randint(10 ** (d - 1), 10 ** d - 1)


def gen_addition(rng):
    a, b = _ndigit(rng), _ndigit(rng)
    return f"What is {a} + {b}?", str(a + b)


def gen_subtraction(rng):
    a, b = _ndigit(rng), _ndigit(rng)
    if b > a:
        a, b = b, a
    return f"What is {a} - {b}?", str(a - b)


def gen_multiplication(rng):
    a, b = rng.randint(10, 99), rng.randint(2, 9)
    if rng.random() < 0.5:
        return f"What is {a} * {b}?", str(a * b)
    return f"What is {b} * {a}?", str(a * b)


# ---------------------------------------------------------------- word problems

NAMES = [("Tom", "he", "his"), ("Anna", "she", "her"), ("Sam", "he", "his"), ("Mia", "she", "her"),
         ("Ben", "he", "his"), ("Lily", "she", "her"), ("Jack", "he", "his"), ("Emma", "she", "her"),
         ("Leo", "he", "his"), ("Zoe", "she", "her"), ("Max", "he", "his"), ("Ruth", "she", "her"),
         ("Noah", "he", "his"), ("Ella", "she", "her"), ("Paul", "he", "his"), ("Sara", "she", "her")]
OBJECTS = ["apples", "pencils", "stickers", "marbles", "cookies", "books", "coins", "cards",
           "stamps", "shells", "eggs", "toys", "flowers", "candies", "balloons", "oranges"]


def _cap(s):
    return s[0].upper() + s[1:]


def _eq(x, op, y):
    r = {"+": x + y, "-": x - y, "*": x * y}[op]
    return f"{x} {op} {y} = {r}.", r


def gen_word_problem(rng):
    (n1, he, his), (n2, _, _) = rng.sample(NAMES, 2)
    obj = rng.choice(OBJECTS)
    kind = rng.randint(0, 9)
    R = rng.randint
    if kind == 0:
        a, b = R(5, 40), R(2, 25)
        c = R(1, a + b - 1)
        q = f"{n1} has {a} {obj}. {_cap(he)} buys {b} more and gives {c} away. How many {obj} does {he} have?"
        steps = [(a, "+", b), (None, "-", c)]
    elif kind == 1:
        a = R(10, 50)
        b, c = R(1, a - 1), R(2, 25)
        q = f"{n1} has {a} {obj}. {_cap(he)} gives {b} to {n2} and then finds {c} more. How many {obj} does {n1} have now?"
        steps = [(a, "-", b), (None, "+", c)]
    elif kind == 2:
        a, b = R(5, 40), R(2, 30)
        c = R(1, a + b - 1)
        q = f"There are {a} {obj} in a box. {n1} puts in {b} more and then takes out {c}. How many {obj} are in the box now?"
        steps = [(a, "+", b), (None, "-", c)]
    elif kind == 3:
        a, b = R(2, 9), R(2, 12)
        c = R(1, a * b - 1)
        q = f"{n1} buys {a} bags with {b} {obj} in each bag. {_cap(he)} gives away {c} of them. How many {obj} are left?"
        steps = [(a, "*", b), (None, "-", c)]
    elif kind == 4:
        a, b = R(3, 40), R(2, 20)
        q = f"{n1} has {a} {obj}. {n2} has {b} more {obj} than {n1}. How many {obj} do they have together?"
        steps = [(a, "+", b), (a, "+", None)]
    elif kind == 5:
        a, b = R(5, 40), R(2, 25)
        c = R(1, a + b - 1)
        d = R(2, 20)
        q = f"{n1} has {a} {obj}. {_cap(he)} buys {b} more, gives {c} to {n2}, and then finds {d}. How many {obj} does {n1} have now?"
        steps = [(a, "+", b), (None, "-", c), (None, "+", d)]
    elif kind == 6:
        a, b = R(2, 9), R(2, 12)
        c = R(1, a * b - 1)
        q = f"{n1} earns {a} dollars each day for {b} days. {_cap(he)} spends {c} dollars. How many dollars does {he} have left?"
        steps = [(a, "*", b), (None, "-", c)]
    elif kind == 7:
        a, b, c = R(5, 40), R(2, 30), R(2, 30)
        q = f"A shelf holds {a} books. {n1} puts {b} more books on it and then {n2} puts {c} more. How many books are on the shelf?"
        steps = [(a, "+", b), (None, "+", c)]
    elif kind == 8:
        a, b = R(2, 9), R(2, 9)
        c = R(2, 20)
        q = f"{n1} has {a} boxes of {obj} with {b} in each box. {n2} gives {n1} {c} more {obj}. How many {obj} does {n1} have?"
        steps = [(a, "*", b), (None, "+", c)]
    else:
        a = R(20, 60)
        b = R(1, a // 2)
        c = R(1, a - b - 1)
        q = f"{n1} had {a} {obj}. {_cap(he)} ate {b} and lost {c}. How many {obj} does {n1} have left?"
        steps = [(a, "-", b), (None, "-", c)]
    parts, cur = [], None
    for x, op, y in steps:
        if x is None:
            x = cur
        if y is None:
            y = cur
        s, cur = _eq(x, op, y)
        parts.append(s)
    parts.append(f"The answer is {cur}.")
    return q, " ".join(parts)


# ---------------------------------------------------------------- list / word / number tasks


def gen_sort(rng):
    xs = [rng.randint(0, 99) for _ in range(rng.randint(3, 6))]
    return ("Sort these numbers from smallest to largest: " + ", ".join(map(str, xs)),
            ", ".join(map(str, sorted(xs))))


@functools.cache
def word_list():
    """Common lower-case words of 3-8 letters taken from the prose corpus (read once)."""
    text = open(os.path.join(RUNS_DIR, "prose.txt"), encoding="utf-8").read()
    c = Counter(w for w in re.findall(r"[a-z]+", text) if 3 <= len(w) <= 8)
    return sorted(w for w, n in c.items() if n >= 5)


def gen_reverse(rng):
    w = rng.choice(word_list())
    return f"Reverse the word: {w}", w[::-1]


ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
        "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spell(n):
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])
    if n < 1000:
        return ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + spell(n % 100))
    return spell(n // 1000) + " thousand" + ("" if n % 1000 == 0 else " " + spell(n % 1000))


def gen_spell(rng):
    d = rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 4, 4])
    n = rng.randint(0 if d == 1 else 10 ** (d - 1), 10 ** d - 1)
    return f"Write {n} in words.", spell(n)


# ---------------------------------------------------------------- 4x4 sudoku


def _all_grids():
    rows = list(itertools.permutations([1, 2, 3, 4]))
    out = []
    for g in itertools.product(rows, repeat=4):
        if any(len({g[r][c] for r in range(4)}) < 4 for c in range(4)):
            continue
        ok = True
        for br in (0, 2):
            for bc in (0, 2):
                if len({g[br + i][bc + j] for i in range(2) for j in range(2)}) < 4:
                    ok = False
        if ok:
            out.append(g)
    return out


GRIDS = _all_grids()  # 288 solved grids


def _count_solutions(cells):
    cells = list(cells)
    try:
        i = cells.index(0)
    except ValueError:
        return 1
    r, c = divmod(i, 4)
    n = 0
    for v in range(1, 5):
        if any(cells[r * 4 + k] == v for k in range(4)) or any(cells[k * 4 + c] == v for k in range(4)):
            continue
        br, bc = r // 2 * 2, c // 2 * 2
        if any(cells[(br + a) * 4 + bc + b] == v for a in range(2) for b in range(2)):
            continue
        cells[i] = v
        n += _count_solutions(cells)
        cells[i] = 0
        if n > 1:
            break
    return n


def _fmt_grid(cells):
    return " ".join("".join(str(v) for v in cells[r * 4:r * 4 + 4]) for r in range(4))


def gen_sudoku(rng):
    g = rng.choice(GRIDS)
    sol = [v for row in g for v in row]
    cells = list(sol)
    blanks = rng.randint(6, 10)
    order = list(range(16))
    rng.shuffle(order)
    removed = 0
    for i in order:
        if removed >= blanks:
            break
        keep = cells[i]
        cells[i] = 0
        if _count_solutions(cells) == 1:
            removed += 1
        else:
            cells[i] = keep
    return (f"Solve this 4x4 Sudoku (0 marks a blank, rows separated by spaces): {_fmt_grid(cells)}",
            _fmt_grid(sol))


GENERATORS = {
    "addition": gen_addition,
    "subtraction": gen_subtraction,
    "multiplication": gen_multiplication,
    "word-problems": gen_word_problem,
    "sort": gen_sort,
    "reverse": gen_reverse,
    "spell-number": gen_spell,
    "sudoku": gen_sudoku,
}
