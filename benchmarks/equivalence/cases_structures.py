"""Hand-written equivalence cases: sets, tuples, intervals, matrices, complex
numbers and plus-minus answers.  Row shape: see `build_cases.py`."""

from __future__ import annotations

T, F = True, False

PM2 = r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}"

SETS_LISTS = [
    ("b", "The roots of $(x-1)(x-2)(x-3)$ are", "1, 2, 3", "1,2,3", T, "comma list, spacing"),
    ("b", "Checking each candidate, the solutions are", "3, 1, 2", "1, 2, 3", T, "solutions in a different order"),
    ("b", "The solution set is", r"\{1, 2, 3\}", "1,2,3", T, "set braces vs bare list"),
    ("b", "Factoring gives $(x+2)(x-5) = 0$, so the solutions are", "-2, 5", "5, -2", T, "order"),
    ("b", "Both signs work, so the solution set is", r"\{-1, 1\}", r"\{1,-1\}", T, "set order"),
    ("b", "The two roots of $2x^2 - 5x + 2$ are", r"\frac12, 2", r"2, \frac{1}{2}", T, "order and fraction style"),
    ("b", "The roots of $2x^2 - 5x + 2$ are", "2, 0.5", r"\frac{1}{2}, 2", T, "decimal element"),
    ("b", "No value satisfies both conditions, so the solution set is", r"\emptyset", r"\varnothing", T, "empty-set symbols"),
    ("b", "The first four odd numbers are", "1, 3, 5, 7", "1,3,5,7", T, "spacing"),
    ("b", "The solutions of $x^2 = 2$ are", r"\sqrt{2}, -\sqrt{2}", r"-\sqrt{2},\sqrt{2}", T, "order with surds"),
    ("b", "The intersection is", r"\{2, 4\}", r"\{4, 2\}", T, "set order"),
    ("b", "The solutions are", r"x = 5 \text{ or } x = -2", "-2, 5", T, "all roots stated with 'or' (unsure: 'or' also reads as a hedge, but every root is given)"),
    ("b", "The three roots of $x^3 - 6x^2 + 11x - 6$ are", r"\{3, 2, 1\}", "1, 2, 3", T, "set order"),
    ("b", "The roots of $(x-1)(x-2)(x-3)$ include", "1, 2", "1, 2, 3", F, "missing an element"),
    ("b", "Including the extraneous root, the solutions are", "1, 2, 3, 4", "1,2,3", F, "extra element"),
    ("b", "Factoring gives the solutions", "-2, -5", "-2, 5", F, "one sign"),
    ("b", "The solution set is", r"\{1\}", r"\{-1, 1\}", F, "missing the negative root"),
    ("b", "The larger root of $2x^2 - 5x + 2$ is", "2", r"\frac12, 2", F, "single element of a two-element answer"),
    ("b", "The only solution is zero, so the solution set is", r"\{0\}", r"\emptyset", F, "{0} is not empty"),
    ("b", "The first odd numbers are", "1, 3, 5", "1,3,5,7", F, "missing an element"),
    ("b", "The positive solution of $x^2 = 2$ is", r"\sqrt{2}", r"-\sqrt2,\sqrt2", F, "missing the negative root"),
    ("b", "The roots are", "1, 2, 4", "1, 2, 3", F, "one element wrong"),
    ("b", "The roots are", "-1, 2", "1, -2", F, "signs swapped"),
    ("b", "The solutions of $x^3 = x$ are", "0, 1", "0, 1, -1", F, "missing -1"),
    ("b", "The intersection is", r"\{2, 4, 6\}", r"\{2, 4\}", F, "extra element"),
]

TUPLES = [
    ("b", "Solving the system gives $x = 1$ and $y = 2$, so the point is", "(1, 2)", "(1,2)", T, "spacing"),
    ("a", "The intersection point is (3, -4) after checking both equations", "$(3, -4)$", "(3,-4)", T, "negative coordinate"),
    ("b", "The midpoint is", r"\left(\frac{1}{2}, 3\right)", r"(\frac12, 3)", T, "\\left( and fraction style"),
    ("b", "The midpoint is", "(0.5, 3)", r"\left( \frac{1}{2}, 3 \right)", T, "decimal coordinate"),
    ("b", "The solution of the three equations is", "(2, 3, -1)", "(2,3,-1)", T, "triple"),
    ("b", "Solving the system,", "(a, b) = (1, 2)", "(1,2)", T, "named pair"),
    ("b", "The point on the unit circle scaled by 2 is", r"(-1, \sqrt{3})", r"(-1,\sqrt3)", T, "surd coordinate"),
    ("b", "In polar coordinates the point is", r"\left(6, \frac{\pi}{3}\right)", r"\left( 6, \frac{\pi}{3} \right)", T, "polar pair"),
    ("b", "In cylindrical coordinates the point is", r"(2\sqrt2, \frac{\pi}{4}, 1)", r"\left(2 \sqrt{2}, \frac{\pi}{4}, 1\right)", T, "cylindrical triple"),
    ("b", "The ordered pair is", "(m,n) = (4, 7)", "(4,7)", T, "named pair"),
    ("b", "The vertex of the parabola is", r"(\frac{4}{2}, 3)", "(2,3)", T, "unsimplified coordinate"),
    ("b", "The point is", "(1,2)", r"\boxed{(1, 2)}", T, "boxed reference"),
    ("b", "The centre of the circle is", "(-1, 2)", "(-1, 2)", T, "identical"),
    ("b", "Solving the system gives the point", "(2, 1)", "(1,2)", F, "order swapped"),
    ("b", "The intersection point is", "(3, 4)", "(3,-4)", F, "sign of one coordinate"),
    ("b", "The intersection point is", "(-4, 3)", "(3,-4)", F, "coordinates swapped"),
    ("b", "The solution of the three equations is", "(2, 3, 1)", "(2,3,-1)", F, "sign of one coordinate"),
    ("b", "The solution is", "(2, 3)", "(2,3,-1)", F, "missing a coordinate"),
    ("b", "In polar coordinates the point is", r"\left(6, \frac{\pi}{6}\right)", r"\left(6,\frac{\pi}{3}\right)", F, "angle"),
    ("b", "The midpoint is", r"\left(\frac12, -3\right)", r"\left(\frac12, 3\right)", F, "sign"),
    ("b", "The ordered pair is", "(7, 4)", "(4,7)", F, "order swapped"),
    ("b", "The solution triple is", "(1, 2, 3)", "(1, 3, 2)", F, "order of a triple"),
    ("b", "The point is", "(0, 0)", "(0,1)", F, "one coordinate"),
    ("b", "The centre of the circle is", "(1, -2)", "(-1, 2)", F, "both signs flipped"),
]

INTERVALS = [
    ("b", "The inequality holds from 2 inclusive up to 5 exclusive:", "[2, 5)", "[2,5)", T, "spacing"),
    ("b", "The domain is", r"\left[2, 5\right)", "[2,5)", T, "\\left[ \\right)"),
    ("b", "The solution set is", r"(-\infty, 3] \cup [5, \infty)", r"(-\infty,3]\cup[5,\infty)", T, "spacing"),
    ("b", "Listing the right part first, the solution set is", r"[5, \infty) \cup (-\infty, 3]", r"(-\infty,3]\cup[5,\infty)", T, "union order"),
    ("b", "The domain is all real numbers:", r"(-\infty, \infty)", r"\mathbb{R}", T, "(-inf, inf) is R"),
    ("b", "The range of the logistic function is", "(0, 1)", "(0,1)", T, "open interval"),
    ("f", "The range of sine is the closed interval from -1 to 1.", "$[-1, 1]$", "[-1,1]", T, "closed interval"),
    ("b", "The function is decreasing on", r"(-\infty, 0)", r"(-\infty,0)", T, "ray"),
    ("b", "The solution set is", r"\left(\frac{1}{2}, 2\right]", "(0.5, 2]", T, "fraction vs decimal endpoint"),
    ("b", "The range of the square root is", r"[0, \infty)", r"[0,\infty)", T, "ray"),
    ("b", "The solution set is", r"(-3, -1) \cup (1, 3)", r"(-3,-1)\cup(1,3)", T, "union of two intervals"),
    ("b", "The range is", "[-2, 2]", "$[-2,2]$", T, "reference in $...$"),
    ("b", "The domain excludes only $-2$:", r"(-\infty, -2) \cup (-2, \infty)", r"(-\infty,-2)\cup(-2,\infty)", T, "punctured line"),
    ("b", "Combining the two cases,", r"[1, 2) \cup [2, 3]", "[1,3]", T, "union that simplifies to one interval"),
    ("b", "The domain is", r"(-\infty, 4]", r"(-\infty, 4]", T, "identical"),
    ("b", "The inequality holds strictly between 2 and 5:", "(2, 5)", "[2,5)", F, "left endpoint open vs closed"),
    ("b", "The domain is", "[2, 5]", "[2,5)", F, "right endpoint closed vs open"),
    ("b", "The solution set is", r"(-\infty, 3) \cup [5, \infty)", r"(-\infty, 3]\cup[5,\infty)", F, "3 excluded"),
    ("b", "The range of sine is", "[-1, 1)", "[-1,1]", F, "1 excluded"),
    ("b", "The range of the square root is", r"(0, \infty)", r"[0,\infty)", F, "0 excluded"),
    ("b", "The function is decreasing on", r"(-\infty, 0]", r"(-\infty,0)", F, "0 included"),
    ("b", "The solution set is", "(-3, 3)", r"(-3,-1)\cup(1,3)", F, "missing the gap"),
    ("b", "The solution set is", r"\left(\frac12, 2\right)", r"\left(\frac12, 2\right]", F, "2 excluded"),
    ("b", "The solution set is", r"[5, \infty)", r"(-\infty,3]\cup[5,\infty)", F, "missing a ray"),
    ("b", "The range is", "(-1, 0)", "(0, 1)", F, "wrong interval"),
    ("b", "The domain is all real numbers, i.e. up to", r"\infty", r"(-\infty,\infty)", F, "infinity is not an interval"),
    ("b", "The range is", "[-2, 3]", "[-2, 2]", F, "right endpoint"),
    ("b", "The domain excludes 2:", r"(-\infty, -2) \cup (2, \infty)", r"(-\infty,-2)\cup(-2,\infty)", F, "different set"),
]

MATRICES = [
    ("b", "Multiplying the matrices entry by entry gives", r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", PM2, T, "bmatrix vs pmatrix"),
    ("b", "The inverse is", r"\begin{pmatrix} \frac12 & 0 \\ 0 & \frac12 \end{pmatrix}", r"\begin{pmatrix} 0.5 & 0 \\ 0 & 0.5 \end{pmatrix}", T, "fraction vs decimal entries"),
    ("b", "The projection vector is", r"\begin{pmatrix} 2 \\ -1 \end{pmatrix}", r"\begin{pmatrix}2\\-1\end{pmatrix}", T, "spacing"),
    ("b", "The product is the identity:", r"\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}", r"\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}", T, "identical"),
    ("b", "The vector is", r"\begin{pmatrix} 2/3 \\ 4/3 \end{pmatrix}", r"\begin{pmatrix} \frac{2}{3} \\ \frac{4}{3} \end{pmatrix}", T, "slash vs \\frac entries"),
    ("b", "The cross product is", r"\begin{pmatrix} 1 \\ 2 \\ 3 \end{pmatrix}", r"\begin{pmatrix}1\\2\\3\end{pmatrix}", T, "3-vector"),
    ("b", "The rotation matrix by 45 degrees is", r"\begin{pmatrix} \sqrt{2}/2 & -\sqrt{2}/2 \\ \sqrt{2}/2 & \sqrt{2}/2 \end{pmatrix}", r"\begin{pmatrix} \frac{1}{\sqrt2} & -\frac{1}{\sqrt2} \\ \frac{1}{\sqrt2} & \frac{1}{\sqrt2} \end{pmatrix}", T, "equal surd entries"),
    ("b", "The matrix is", r"\begin{bmatrix} -3 & 4 \\ 5 & 0 \end{bmatrix}", r"\begin{pmatrix} -3 & 4 \\ 5 & 0 \end{pmatrix}", T, "bracket style"),
    ("b", "The reflection matrix is", r"\begin{pmatrix} 0 & 1 \\ 1 & 0 \end{pmatrix}", r"\begin{pmatrix} 0 & 1 \\ 1 & 0 \end{pmatrix}", T, "identical"),
    ("b", "The sum of the matrices is", r"\begin{pmatrix} 1+1 & 0 \\ 0 & 3 \end{pmatrix}", r"\begin{pmatrix} 2 & 0 \\ 0 & 3 \end{pmatrix}", T, "unevaluated entry"),
    ("b", "The vector is", r"\begin{pmatrix} -1 \\ 0.5 \end{pmatrix}", r"\begin{pmatrix} -1 \\ 1/2 \end{pmatrix}", T, "decimal entry"),
    ("b", "The product is", r"\begin{pmatrix} 1 & 3 \\ 2 & 4 \end{pmatrix}", PM2, F, "transposed"),
    ("b", "The product is", r"\begin{pmatrix} 1 & 2 \\ 3 & -4 \end{pmatrix}", PM2, F, "one entry sign"),
    ("b", "The projection vector is", r"\begin{pmatrix} 2 \\ 1 \end{pmatrix}", r"\begin{pmatrix} 2 \\ -1 \end{pmatrix}", F, "sign"),
    ("b", "The product is", r"\begin{pmatrix} 2 & 0 \\ 0 & 2 \end{pmatrix}", r"\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}", F, "scalar multiple"),
    ("b", "The cross product, written as a row, is", r"\begin{pmatrix} 1 & 2 & 3 \end{pmatrix}", r"\begin{pmatrix}1\\2\\3\end{pmatrix}", F, "row vs column vector (shape differs; unsure: some graders compare vectors by entries)"),
    ("b", "The vector is", r"\begin{pmatrix} 1 \\ 2 \end{pmatrix}", r"\begin{pmatrix} 1 \\ 2 \\ 0 \end{pmatrix}", F, "dimension"),
    ("b", "The determinant of the matrix is", "-2", PM2, F, "determinant instead of the matrix"),
    ("b", "The vector is", r"\begin{pmatrix} \frac{3}{2} \\ \frac{4}{3} \end{pmatrix}", r"\begin{pmatrix} \frac{2}{3} \\ \frac{4}{3} \end{pmatrix}", F, "inverted entry"),
    ("b", "The reflection matrix is", r"\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}", r"\begin{pmatrix} 0 & 1 \\ 1 & 0 \end{pmatrix}", F, "identity vs swap"),
    ("b", "The inverse is", r"\begin{pmatrix} 2 & 0 \\ 0 & 2 \end{pmatrix}", r"\begin{pmatrix} 0.5 & 0 \\ 0 & 0.5 \end{pmatrix}", F, "matrix instead of its inverse"),
]

COMPLEX = [
    ("b", "Adding the real and imaginary parts separately gives", "3+4i", "3+4i", T, "identical"),
    ("b", "Writing the imaginary part first,", "4i+3", "3+4i", T, "commuted"),
    ("b", "The primitive sixth root of unity is", r"\frac{1}{2}+\frac{\sqrt3}{2}i", r"\frac{1+i\sqrt{3}}{2}", T, "split vs combined fraction"),
    ("b", "Multiplying numerator and denominator by i gives", r"\frac{1}{i}", "-i", T, "1/i = -i"),
    ("b", "In polar form the number is", r"2e^{i\pi/3}", r"1+\sqrt{3}i", T, "polar vs rectangular"),
    ("b", "The conjugate of $1+i$ is", "1 - i", "1-i", T, "spacing"),
    ("b", "Rationalizing the denominator gives", r"\frac{3}{5}-\frac{4}{5}i", r"\frac{3-4i}{5}", T, "split fraction"),
    ("b", "The number is purely imaginary:", "0+5i", "5i", T, "explicit zero real part"),
    ("b", "By Euler's identity,", r"e^{i\pi}", "-1", T, "e^(i pi) = -1"),
    ("b", "Factoring out 2 gives", "2(1+i)", "2+2i", T, "factored"),
    ("b", "The number with modulus $\\sqrt2$ and argument $\\pi/4$ is", r"\sqrt{2}e^{i\pi/4}", "1+i", T, "polar vs rectangular"),
    ("b", "Squaring $1+i$ gives", "(1+i)^2", "2i", T, "unevaluated square"),
    ("b", "The quotient is", "-2i", r"\frac{4}{2i}", T, "4/(2i) = -2i"),
    ("b", "The conjugate is", "3-4i", "3+4i", F, "conjugate instead of the number"),
    ("b", "The sum is", "4+3i", "3+4i", F, "real and imaginary parts swapped"),
    ("b", "Multiplying numerator and denominator by i gives", "i", "-i", F, "sign"),
    ("b", "The root of unity is", r"\frac{1}{2}-\frac{\sqrt3}{2}i", r"\frac{1+i\sqrt3}{2}", F, "conjugate root"),
    ("b", "In polar form the number is", r"2e^{i\pi/6}", r"1+\sqrt3 i", F, "2 e^(i pi/6) = sqrt3 + i"),
    ("b", "The number is", "1+i", "1-i", F, "sign of the imaginary part"),
    ("b", "The modulus is", "5", "5i", F, "real vs imaginary"),
    ("b", "Rationalizing gives", r"\frac{3+4i}{5}", r"\frac{3-4i}{5}", F, "sign"),
    ("b", "Squaring gives", "(1-i)^2", "2i", F, "(1-i)^2 = -2i"),
    ("b", "The root is", "-1+i", "-1-i", F, "conjugate"),
    ("b", "By Euler's identity,", r"e^{i\pi}", "1", F, "e^(i pi) = -1, not 1"),
]

PLUS_MINUS = [
    ("b", "Taking square roots of both sides gives", r"\pm 3", r"\pm 3", T, "identical"),
    ("b", "Taking square roots, the solutions are", "3, -3", r"\pm 3", T, "listed roots vs \\pm"),
    ("b", "Taking square roots, the solutions are", "-3, 3", r"\pm3", T, "listed roots, other order"),
    ("b", "Taking square roots,", r"x = \pm 2", r"\pm 2", T, "x = \\pm 2"),
    ("b", "The solutions of $x^2 = 5$ are", r"\pm\sqrt{5}", r"\sqrt5, -\sqrt5", T, "\\pm vs listed"),
    ("b", "By the quadratic formula,", r"1 \pm \sqrt{2}", r"1+\sqrt2, 1-\sqrt2", T, "\\pm vs listed"),
    ("b", "By the quadratic formula the roots are", r"1+\sqrt{2}, 1-\sqrt{2}", r"1 \pm \sqrt{2}", T, "listed vs \\pm reference"),
    ("b", "By the quadratic formula,", r"\frac{-1 \pm \sqrt{5}}{2}", r"\frac{-1+\sqrt5}{2}, \frac{-1-\sqrt5}{2}", T, "\\pm inside a fraction"),
    ("b", "Both roots are", r"2 \mp \sqrt{3}", r"2 \pm \sqrt3", T, "\\mp denotes the same pair of roots (unsure: an odd way to write it)"),
    ("b", "Taking square roots of $x^2 = \\frac14$,", r"\pm \frac{1}{2}", r"\frac12, -\frac12", T, "\\pm fraction"),
    ("b", "So the solutions are", r"x = 4 \text{ or } x = -4", r"\pm 4", T, "both roots with 'or'"),
    ("b", "Taking the positive square root gives", "3", r"\pm 3", F, "missing the negative root"),
    ("b", "Taking square roots of both sides,", r"\pm 3", "3", F, "reference is one value (a length); \\pm adds a wrong one"),
    ("b", "Taking the negative square root,", "-3", r"\pm 3", F, "missing the positive root"),
    ("b", "Taking square roots,", r"\pm 2", r"\pm 3", F, "wrong magnitude"),
    ("b", "By the quadratic formula,", r"1 + \sqrt{2}", r"1 \pm \sqrt2", F, "one root only"),
    ("b", "The solutions are", r"\pm\sqrt{3}", r"\pm\sqrt{5}", F, "wrong radicand"),
    ("b", "By the quadratic formula,", r"\frac{1 \pm \sqrt5}{2}", r"\frac{-1\pm\sqrt5}{2}", F, "sign of b"),
    ("b", "The side length satisfies $s^2 = 25$, so", r"\pm 5", "5", F, "a length cannot be negative; hedged"),
    ("b", "The solutions are", r"\pm 4", "4, -4, 0", F, "missing the root 0"),
    ("b", "Taking square roots,", "3, -3", "3", F, "extra negative value"),
    ("b", "Taking square roots of $x^2 = 9$, the only solution is", "x = 3", r"x = \pm 3", F, "missing a root"),
]

# Second batch (held-out first, then merged).
INTERVALS += [
    ("b", "The solution set is", r"[3,\infty)", r"[3, +\infty)", T, "+infinity"),
    ("b", "The solution set is", r"(3,\infty)", r"[3,+\infty)", F, "3 excluded"),
    ("b", "Every real number except 1 works:", r"(-\infty,1) \cup (1,\infty)", r"\mathbb{R}\setminus\{1\}", T, "set difference reference"),
    ("b", "One full turn, excluding the endpoint:", r"[0,2\pi)", r"[0, 2\pi)", T, "pi endpoint"),
    ("b", "Half a turn:", r"[0,\pi)", r"[0,2\pi)", F, "endpoint"),
    ("b", "The solution set is", r"\{1, 2\}", "(1,2)", F, "two points vs an open interval (or a pair)"),
]
SETS_LISTS += [
    ("b", "Both signs work, so", r"\{-3, 3\}", "3, -3", T, "set vs list"),
    ("b", "Only the positive root survives, so", r"\{3\}", "3, -3", F, "missing element"),
    ("b", "The three integer solutions are", "-1, 0, 1", r"0, \pm 1", T, "\\pm inside a list reference"),
]
TUPLES += [
    ("b", "The intersection point is", "(5, -2)", "(-2, 5)", F, "coordinates swapped"),
    ("b", "The point is", r"\left(1, -\frac{1}{2}\right)", "(1, -0.5)", T, "fraction vs decimal coordinate"),
    ("b", "The point is", r"(1, \frac12)", "(1,-0.5)", F, "sign"),
]
MATRICES += [
    ("b", "The matrix is", r"\begin{pmatrix} 3 & -1 \\ 0 & 2 \end{pmatrix}", r"\begin{pmatrix}3&-1\\0&2\end{pmatrix}", T, "spacing"),
    ("b", "The matrix is", r"\begin{pmatrix} 3 & 0 \\ -1 & 2 \end{pmatrix}", r"\begin{pmatrix}3&-1\\0&2\end{pmatrix}", F, "transposed"),
    ("b", "The vector is", r"\begin{pmatrix} 6/2 \\ -1 \end{pmatrix}", r"\begin{pmatrix}3\\-1\end{pmatrix}", T, "unevaluated entry"),
]
COMPLEX += [
    ("b", "Reordering the terms,", "-4+3i", "3i-4", T, "commuted"),
    ("b", "The number is", "-4-3i", "3i-4", F, "conjugate"),
    ("b", "Leaving the quotient unsimplified,", r"\frac{1}{1+i}", r"\frac{1-i}{2}", T, "1/(1+i) = (1-i)/2"),
    ("b", "The quotient is", r"\frac{1}{1-i}", r"\frac{1-i}{2}", F, "1/(1-i) = (1+i)/2"),
    ("b", "By definition of the imaginary unit,", "i^2", "-1", T, "i^2 = -1"),
    ("b", "The cube of i is", "i^3", "i", F, "i^3 = -i"),
]
PLUS_MINUS += [
    ("b", "Taking square roots of one half,", r"\pm\frac{\sqrt{2}}{2}", r"\frac{\sqrt2}{2}, -\frac{\sqrt2}{2}", T, "\\pm vs listed"),
    ("b", "Taking the positive root,", r"\frac{\sqrt2}{2}", r"\pm\frac{\sqrt{2}}{2}", F, "missing a root"),
    ("b", "The complex roots are", r"3 \pm 2i", "3+2i, 3-2i", T, "complex conjugate pair"),
    ("b", "One complex root is", "3 + 2i", r"3 \pm 2i", F, "one root of a pair"),
]

# Third batch.
COMPLEX += [
    ("b", "The principal square root of $-4$ is", r"\sqrt{-4}", "2i", T, "principal root"),
    ("b", "The principal square root of $-4$ is", r"\sqrt{-4}", "-2i", F, "principal root is 2i"),
]
INTERVALS += [
    ("b", "The range is", "[1, 2]", "(1,2)", F, "closed vs open on both ends"),
]
