"""Build the labeled code sets in this folder (run by hand; CI uses the committed JSONL).

    python tests/data/code/build.py /path/to/HumanEval.jsonl

Sources (their problems, solutions and tests are facts we use as data):

- HumanEval (openai/human-eval, data/HumanEval.jsonl.gz, MIT): the first 24
  problems' prompts + canonical solutions and `check(candidate)` tests.
- MBPP (google-research/google-research, mbpp/mbpp.jsonl, CC BY 4.0): tasks
  1-12 and 14-17 (their `code` and `test_list`), transcribed below.
- stdin/stdout problems written for this set (`STDIO` below), with correct and
  faulty solutions in Python and C++.

Faulty variants: mechanical mutants of each canonical solution (the first
operator that applies from `MUTATIONS`: comparison flips, off-by-one in ranges
and indices, swapped booleans), a wrong constant body, an infinite loop (TLE)
and a syntax error. Labels do not come from graders: each program is run with
plain `subprocess` the way the datasets' own harnesses do (HumanEval:
program + test + `check(entry_point)`; MBPP: program + every assert), exit
status 0 = label 1. So a mutant that happens to pass every test is labeled 1.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

MUTATIONS = [  # (pattern, replacement, name): the first that changes the text is used
    (r" < ", " <= ", "lt_to_le"), (r" > ", " >= ", "gt_to_ge"), (r" <= ", " < ", "le_to_lt"),
    (r" >= ", " > ", "ge_to_gt"), (r"range\((\w+)\)", r"range(\1 - 1)", "range_off_by_one"),
    (r"\+ 1\b", "+ 2", "plus_one_off"), (r"- 1\b", "- 2", "minus_one_off"), (r"\[1:\]", "[2:]", "slice_off"),
    (r"return True", "return False", "swap_bool"), (r" == ", " != ", "eq_to_ne"), (r"\+=", "-=", "sign"),
]

MBPP = [  # (task_id, code, test_list) transcribed from mbpp.jsonl
    (1, "R = 3\r\nC = 3\r\ndef min_cost(cost, m, n): \r\n\ttc = [[0 for x in range(C)] for x in range(R)] \r\n\ttc[0][0] = cost[0][0] \r\n\tfor i in range(1, m+1): \r\n\t\ttc[i][0] = tc[i-1][0] + cost[i][0] \r\n\tfor j in range(1, n+1): \r\n\t\ttc[0][j] = tc[0][j-1] + cost[0][j] \r\n\tfor i in range(1, m+1): \r\n\t\tfor j in range(1, n+1): \r\n\t\t\ttc[i][j] = min(tc[i-1][j-1], tc[i-1][j], tc[i][j-1]) + cost[i][j] \r\n\treturn tc[m][n]",
     ["assert min_cost([[1, 2, 3], [4, 8, 2], [1, 5, 3]], 2, 2) == 8", "assert min_cost([[2, 3, 4], [5, 9, 3], [2, 6, 4]], 2, 2) == 12", "assert min_cost([[3, 4, 5], [6, 10, 4], [3, 7, 5]], 2, 2) == 16"]),
    (2, "def similar_elements(test_tup1, test_tup2):\r\n  res = tuple(set(test_tup1) & set(test_tup2))\r\n  return (res) ",
     ["assert similar_elements((3, 4, 5, 6),(5, 7, 4, 10)) == (4, 5)", "assert similar_elements((1, 2, 3, 4),(5, 4, 3, 7)) == (3, 4)", "assert similar_elements((11, 12, 14, 13),(17, 15, 14, 13)) == (13, 14)"]),
    (3, "import math\r\ndef is_not_prime(n):\r\n    result = False\r\n    for i in range(2,int(math.sqrt(n)) + 1):\r\n        if n % i == 0:\r\n            result = True\r\n    return result",
     ["assert is_not_prime(2) == False", "assert is_not_prime(10) == True", "assert is_not_prime(35) == True"]),
    (4, "import heapq as hq\r\ndef heap_queue_largest(nums,n):\r\n  largest_nums = hq.nlargest(n, nums)\r\n  return largest_nums",
     ["assert heap_queue_largest( [25, 35, 22, 85, 14, 65, 75, 22, 58],3)==[85, 75, 65] ", "assert heap_queue_largest( [25, 35, 22, 85, 14, 65, 75, 22, 58],2)==[85, 75] ", "assert heap_queue_largest( [25, 35, 22, 85, 14, 65, 75, 22, 58],5)==[85, 75, 65, 58, 35]"]),
    (5, "def count_ways(n): \r\n\tA = [0] * (n + 1) \r\n\tB = [0] * (n + 1) \r\n\tA[0] = 1\r\n\tA[1] = 0\r\n\tB[0] = 0\r\n\tB[1] = 1\r\n\tfor i in range(2, n+1): \r\n\t\tA[i] = A[i - 2] + 2 * B[i - 1] \r\n\t\tB[i] = A[i - 1] + B[i - 2] \r\n\treturn A[n] ",
     ["assert count_ways(2) == 3", "assert count_ways(8) == 153", "assert count_ways(12) == 2131"]),
    (6, "def is_Power_Of_Two (x): \r\n    return x and (not(x & (x - 1))) \r\ndef differ_At_One_Bit_Pos(a,b): \r\n    return is_Power_Of_Two(a ^ b)",
     ["assert differ_At_One_Bit_Pos(13,9) == True", "assert differ_At_One_Bit_Pos(15,8) == False", "assert differ_At_One_Bit_Pos(2,4) == False"]),
    (7, "import re\r\ndef find_char_long(text):\r\n  return (re.findall(r\"\\b\\w{4,}\\b\", text))",
     ["assert find_char_long('Please move back to stream') == ['Please', 'move', 'back', 'stream']", "assert find_char_long('Jing Eco and Tech') == ['Jing', 'Tech']", "assert find_char_long('Jhingai wulu road Zone 3') == ['Jhingai', 'wulu', 'road', 'Zone']"]),
    (8, "def square_nums(nums):\r\n square_nums = list(map(lambda x: x ** 2, nums))\r\n return square_nums",
     ["assert square_nums([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])==[1, 4, 9, 16, 25, 36, 49, 64, 81, 100]", "assert square_nums([10,20,30])==([100,400,900])", "assert square_nums([12,15])==([144,225])"]),
    (9, "def find_Rotations(str): \r\n    tmp = str + str\r\n    n = len(str) \r\n    for i in range(1,n + 1): \r\n        substring = tmp[i: i+n] \r\n        if (str == substring): \r\n            return i \r\n    return n ",
     ["assert find_Rotations(\"aaaa\") == 1", "assert find_Rotations(\"ab\") == 2", "assert find_Rotations(\"abc\") == 3"]),
    (10, "import heapq\r\ndef small_nnum(list1,n):\r\n  smallest=heapq.nsmallest(n,list1)\r\n  return smallest",
     ["assert small_nnum([10, 20, 50, 70, 90, 20, 50, 40, 60, 80, 100],2)==[10,20]", "assert small_nnum([10, 20, 50, 70, 90, 20, 50, 40, 60, 80, 100],5)==[10,20,20,40,50]", "assert small_nnum([10, 20, 50, 70, 90, 20, 50, 40, 60, 80, 100],3)==[10,20,20]"]),
    (11, "def remove_Occ(s,ch): \r\n    for i in range(len(s)): \r\n        if (s[i] == ch): \r\n            s = s[0 : i] + s[i + 1:] \r\n            break\r\n    for i in range(len(s) - 1,-1,-1):  \r\n        if (s[i] == ch): \r\n            s = s[0 : i] + s[i + 1:] \r\n            break\r\n    return s ",
     ["assert remove_Occ(\"hello\",\"l\") == \"heo\"", "assert remove_Occ(\"abcda\",\"a\") == \"bcd\"", "assert remove_Occ(\"PHP\",\"P\") == \"H\""]),
    (12, "def sort_matrix(M):\r\n    result = sorted(M, key=sum)\r\n    return result",
     ["assert sort_matrix([[1, 2, 3], [2, 4, 5], [1, 1, 1]])==[[1, 1, 1], [1, 2, 3], [2, 4, 5]]", "assert sort_matrix([[1, 2, 3], [-2, 4, -5], [1, -1, 1]])==[[-2, 4, -5], [1, -1, 1], [1, 2, 3]]", "assert sort_matrix([[5,8,9],[6,4,3],[2,1,4]])==[[2, 1, 4], [6, 4, 3], [5, 8, 9]]"]),
    (14, "def find_Volume(l,b,h) : \r\n    return ((l * b * h) / 2) ",
     ["assert find_Volume(10,8,6) == 240", "assert find_Volume(3,2,2) == 6", "assert find_Volume(1,2,1) == 1"]),
    (15, "import re\r\ndef split_lowerstring(text):\r\n return (re.findall('[a-z][^a-z]*', text))",
     ["assert split_lowerstring(\"AbCd\")==['bC','d']", "assert split_lowerstring(\"Python\")==['y', 't', 'h', 'o', 'n']", "assert split_lowerstring(\"Programming\")==['r', 'o', 'g', 'r', 'a', 'm', 'm', 'i', 'n', 'g']"]),
    (16, "import re\r\ndef text_lowercase_underscore(text):\r\n        patterns = '^[a-z]+_[a-z]+$'\r\n        if re.search(patterns,  text):\r\n                return 'Found a match!'\r\n        else:\r\n                return('Not matched!')",
     ["assert text_lowercase_underscore(\"aab_cbbbc\")==('Found a match!')", "assert text_lowercase_underscore(\"aab_Abbbc\")==('Not matched!')", "assert text_lowercase_underscore(\"Aaab_abbbc\")==('Not matched!')"]),
    (17, "def square_perimeter(a):\r\n  perimeter=4*a\r\n  return perimeter",
     ["assert square_perimeter(10)==40", "assert square_perimeter(5)==20", "assert square_perimeter(4)==16"]),
]

# stdin/stdout problems written for this set: (id, statement, cases, {variant: (language, program)}).
STDIO = [
    ("sum2", "Read two integers, print their sum.",
     [("1 2\n", "3\n"), ("-5 5\n", "0\n"), ("1000000000000 1\n", "1000000000001\n")],
     {"correct": ("python", "a, b = map(int, input().split())\nprint(a + b)\n"),
      "trailing_spaces": ("python", "a, b = map(int, input().split())\nprint(str(a + b) + '   ')\nprint()\n"),
      "off_by_one": ("python", "a, b = map(int, input().split())\nprint(a + b + 1)\n"),
      "crash": ("python", "a, b = input().split()\nprint(a + b + 1)\n"),
      "cpp_correct": ("cpp", "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<\"\\n\";}\n"),
      "cpp_overflow": ("cpp", "#include <iostream>\nint main(){int a,b;std::cin>>a>>b;std::cout<<a+b<<\"\\n\";}\n")}),
    ("maxsub", "Read n then n integers; print the largest sum of a non-empty contiguous run.",
     [("5\n1 -2 3 4 -1\n", "7\n"), ("3\n-3 -1 -2\n", "-1\n"), ("1\n9\n", "9\n")],
     {"correct": ("python", "n = int(input())\nbest = cur = None\nfor x in map(int, input().split()):\n"
                            "    cur = x if cur is None or cur < 0 else cur + x\n    best = cur if best is None else max(best, cur)\nprint(best)\n"),
      "empty_run_allowed": ("python", "n = int(input())\nbest = cur = 0\nfor x in map(int, input().split()):\n"
                                      "    cur = max(0, cur + x)\n    best = max(best, cur)\nprint(best)\n"),
      "cubic_ok": ("python", "n = int(input())\na = list(map(int, input().split()))\n"
                             "print(max(sum(a[i:j + 1]) for i in range(n) for j in range(i, n)))\n")}),
    ("fib", "Read n (0 <= n <= 90); print the n-th Fibonacci number (F0 = 0, F1 = 1).",
     [("0\n", "0\n"), ("10\n", "55\n"), ("90\n", "2880067194370816120\n")],
     {"correct": ("python", "n = int(input())\na, b = 0, 1\nfor _ in range(n):\n    a, b = b, a + b\nprint(a)\n"),
      "exponential_tle": ("python", "import sys\nsys.setrecursionlimit(10000)\ndef f(n):\n    return n if n < 2 else f(n - 1) + f(n - 2)\nprint(f(int(input())))\n"),
      "off_by_one": ("python", "n = int(input())\na, b = 0, 1\nfor _ in range(n - 1):\n    a, b = b, a + b\nprint(a)\n"),
      "cpp_correct": ("cpp", "#include <cstdio>\nint main(){int n;scanf(\"%d\",&n);unsigned long long a=0,b=1;for(int i=0;i<n;i++){unsigned long long t=a+b;a=b;b=t;}printf(\"%llu\\n\",a);}\n")}),
    ("rev_words", "Read one line; print its words in reverse order, separated by one space.",
     [("hello world\n", "world hello\n"), ("  a  b   c \n", "c b a\n"), ("single\n", "single\n")],
     {"correct": ("python", "print(' '.join(reversed(input().split())))\n"),
      "split_on_space": ("python", "print(' '.join(reversed(input().split(' '))))\n"),
      "no_output": ("python", "words = input().split()\n")}),
    ("count_vowels", "Read lines until end of input; print the number of vowels (aeiou, any case) on each line.",
     [("Hello\nsky\n", "2\n0\n"), ("AEIOU xyz\n", "5\n"), ("", "")],
     {"correct": ("python", "import sys\nfor line in sys.stdin:\n    print(sum(c in 'aeiouAEIOU' for c in line))\n"),
      "lowercase_only": ("python", "import sys\nfor line in sys.stdin:\n    print(sum(c in 'aeiou' for c in line))\n"),
      "crash_on_empty": ("python", "import sys\ndata = sys.stdin.read().split('\\n')\nprint(data[0][0] and '', end='')\n"
                                   "for line in data[:-1]:\n    print(sum(c in 'aeiouAEIOU' for c in line))\n")}),
    ("sort_nums", "Read n then n integers; print them sorted ascending, one per line.",
     [("3\n3 1 2\n", "1\n2\n3\n"), ("4\n5 -1 5 0\n", "-1\n0\n5\n5\n"), ("1\n7\n", "7\n")],
     {"correct": ("python", "input()\nprint(*sorted(map(int, input().split())), sep='\\n')\n"),
      "string_sort": ("python", "input()\nprint(*sorted(input().split()), sep='\\n')\n"),
      "dedup": ("python", "input()\nprint(*sorted(set(map(int, input().split()))), sep='\\n')\n")}),
]


def fence(program: str, lang: str = "python", prose: str = "Here is my solution.") -> str:
    return f"{prose}\n\n```{lang}\n{program.rstrip()}\n```\n"


def mutate(src: str) -> tuple[str, str] | None:
    for pat, rep, name in MUTATIONS:
        new, k = re.subn(pat, rep, src, count=1)
        if k and new != src:
            return name, new
    return None


def oracle(program: str, timeout: float = 5.0) -> int:
    """1 when the program (with its tests appended) exits 0, as the datasets' harnesses run it."""
    try:
        r = subprocess.run([sys.executable, "-c", program], capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return 0
    return int(r.returncode == 0)


def stdio_oracle(lang: str, program: str, cases: list[tuple[str, str]], tmp: Path) -> int:
    if lang == "cpp":
        src = tmp / "p.cpp"
        src.write_text(program)
        exe = tmp / "p"
        if subprocess.run(["g++", "-O2", "-o", str(exe), str(src)], capture_output=True).returncode:
            return 0
        argv = [str(exe)]
    else:
        argv = [sys.executable, "-c", program]
    for inp, out in cases:
        try:
            r = subprocess.run(argv, input=inp.encode(), capture_output=True, timeout=5)
        except subprocess.TimeoutExpired:
            return 0
        got = [ln.rstrip() for ln in r.stdout.decode().rstrip().split("\n")]
        want = [ln.rstrip() for ln in out.rstrip().split("\n")]
        if r.returncode or got != want:
            return 0
    return 1


def variants(full: str, body_start: int) -> list[tuple[str, str]]:
    """(name, program) pairs: canonical, one mutant, wrong constant, TLE, syntax error."""
    head, body = full[:body_start], full[body_start:]
    out = [("canonical", full)]
    m = mutate(body)
    if m:
        out.append((m[0], head + m[1]))
    out.append(("wrong_constant", head + "    return None\n"))
    out.append(("tle", head + "    while True:\n        pass\n"))
    out.append(("syntax_error", head + body.replace(":", "", 1) if ":" in body else head + "    return (\n"))
    return out


def build_humaneval(path: Path) -> list[dict]:
    rows = []
    for line in path.read_text().splitlines()[:24]:
        p = json.loads(line)
        full = p["prompt"] + p["canonical_solution"]
        for name, prog in variants(full, len(p["prompt"])):
            label = oracle(prog + "\n" + p["test"] + f"\ncheck({p['entry_point']})\n")
            rows.append({"id": f"{p['task_id']}/{name}", "item": {"tests": p["test"], "entry_point": p["entry_point"],
                                                                 "language": "python"},
                         "sample": {"output_text": fence(prog)}, "expected": label,
                         "tags": ["humaneval", "correct" if name == "canonical" else name]})
    return rows


def build_mbpp() -> list[dict]:
    rows = []
    for task, code, tests in MBPP:
        code = code.replace("\r\n", "\n")
        entry = re.match(r"assert\s+(\w+)", tests[0]).group(1)  # type: ignore[union-attr]
        m = re.search(rf"def {entry}\s*\(.*?\)\s*:[^\n]*\n", code)
        start = m.end() if m else len(code)
        for name, prog in variants(code, start):
            label = oracle(prog + "\n" + "\n".join(tests) + "\n")
            rows.append({"id": f"mbpp/{task}/{name}", "item": {"tests": tests, "entry_point": entry, "language": "python"},
                         "sample": {"output_text": fence(prog)}, "expected": label,
                         "tags": ["mbpp", "correct" if name == "canonical" else name]})
    return rows


def build_stdio(tmp: Path) -> list[dict]:
    rows = []
    for pid, statement, cases, progs in STDIO:
        for name, (lang, prog) in progs.items():
            label = stdio_oracle(lang, prog, cases, tmp)
            rows.append({"id": f"stdio/{pid}/{name}",
                         "item": {"statement": statement, "tests": [{"input": i, "output": o} for i, o in cases],
                                  "entry_point": None, "language": lang},
                         "sample": {"output_text": fence(prog, lang)}, "expected": label,
                         "tags": ["stdio", lang, "correct" if name in ("correct", "cpp_correct") else name]})
    return rows


def main() -> None:
    import tempfile

    he = Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as d:
        sets = {"humaneval": build_humaneval(he), "mbpp": build_mbpp(), "stdio": build_stdio(Path(d))}
    for name, rows in sets.items():
        with open(HERE / f"{name}.labeled.jsonl", "w") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(name, len(rows), "rows,", sum(r["expected"] for r in rows), "passing")


if __name__ == "__main__":
    main()
