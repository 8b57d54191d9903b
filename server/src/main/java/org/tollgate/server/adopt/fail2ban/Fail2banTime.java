package org.tollgate.server.adopt.fail2ban;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fail2ban's time expressions ({@code findtime}, {@code bantime}, {@code bantime.maxtime}, ...), read as its
 * {@code MyTime.str2seconds} reads them: {@code 600}, {@code 10m}, {@code 1d12h}, {@code 1h 30m},
 * {@code 1year-6mo}, {@code 2 * 1d}, unit words in any case ({@code s sec second(s)}, {@code m min minute(s)},
 * {@code h hour(s)}, {@code d day(s)}, {@code w week(s)}, {@code mo mon month(s)}, {@code y year(s)}).
 *
 * <p>fail2ban turns the units into multiplications and then hands the text to Python's {@code eval}; here the same
 * rewriting is followed by an evaluator of numbers, {@code + - * /} and parentheses only, so nothing in a
 * configuration file is ever run. As in fail2ban, {@code m} is a minute and {@code mo} a month, a year is 365.25 days
 * and a month a twelfth of that (30.4375 days).
 */
final class Fail2banTime {

    static final double YEAR = (365 * 3 + 366) * 24 * 60 * 60 / 4.0;
    static final double MONTH = YEAR / 12;

    private static final Pattern DIGIT_AFTER_LETTER = Pattern.compile("(?i)(?<=[a-z])(\\d)");
    private static final Pattern NUMBERS_APART = Pattern.compile("(\\d)\\s+(\\d)");
    private static final List<Unit> UNITS = List.of(
            new Unit("days?|da|dd?", 24 * 60 * 60),
            new Unit("weeks?|wee?|ww?", 7 * 24 * 60 * 60),
            new Unit("months?|mon?", MONTH),
            new Unit("years?|yea?|yy?", YEAR),
            new Unit("seconds?|sec?|ss?", 1),
            new Unit("minutes?|min?|mm?", 60),
            new Unit("hours?|hou?|hh?", 60 * 60));

    private record Unit(Pattern pattern, String replacement) {
        Unit(String words, double seconds) {
            this(Pattern.compile("(?i)(?<=[\\d\\s])(" + words + ")\\b"), Matcher.quoteReplacement("*" + format(seconds)));
        }
    }

    private Fail2banTime() {
    }

    /**
     * The seconds {@code text} stands for (may be negative: {@code -1} is fail2ban's permanent ban).
     *
     * @throws IllegalArgumentException saying what is not a time expression
     */
    static double seconds(String text) {
        String expression = DIGIT_AFTER_LETTER.matcher(text).replaceAll(" $1");
        for (Unit unit : UNITS) {
            expression = unit.pattern().matcher(expression).replaceAll(unit.replacement());
        }
        expression = NUMBERS_APART.matcher(expression).replaceAll("$1+$2");
        return new Evaluator(expression, text).evaluate();
    }

    /** {@code 600}, or {@code 1.5} for a number that is not whole. */
    static String format(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }

    /** Numbers, {@code + - * /}, unary signs and parentheses; nothing else. */
    private static final class Evaluator {
        private static final int MAX_NESTING = 32;

        private final String text;
        private final String original;
        private int position;
        private int nesting;

        Evaluator(String text, String original) {
            this.text = text;
            this.original = original;
        }

        double evaluate() {
            double value = sum();
            skipSpaces();
            if (position < text.length()) {
                throw invalid();
            }
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("'" + original + "' does not come to a number of seconds");
            }
            return value;
        }

        private double sum() {
            double value = product();
            while (true) {
                skipSpaces();
                if (accept('+')) {
                    value += product();
                } else if (accept('-')) {
                    value -= product();
                } else {
                    return value;
                }
            }
        }

        private double product() {
            double value = unary();
            while (true) {
                skipSpaces();
                if (peek('*') && !peekAt(1, '*')) {
                    position++;
                    value *= unary();
                } else if (peek('/') && !peekAt(1, '/')) {
                    position++;
                    value /= unary();
                } else {
                    return value;
                }
            }
        }

        private double unary() {
            skipSpaces();
            if (accept('-')) {
                return -unary();
            }
            if (accept('+')) {
                return unary();
            }
            if (accept('(')) {
                if (++nesting > MAX_NESTING) {
                    throw invalid();
                }
                double value = sum();
                skipSpaces();
                if (!accept(')')) {
                    throw invalid();
                }
                nesting--;
                return value;
            }
            int start = position;
            while (position < text.length()
                    && (isDigit(text.charAt(position)) || text.charAt(position) == '.')) {
                position++;
            }
            if (start == position || position - start > 24) {
                throw invalid();
            }
            try {
                return Double.parseDouble(text.substring(start, position));
            } catch (NumberFormatException e) {
                throw invalid();
            }
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private void skipSpaces() {
            while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
                position++;
            }
        }

        private boolean accept(char c) {
            if (peek(c)) {
                position++;
                return true;
            }
            return false;
        }

        private boolean peek(char c) {
            return position < text.length() && text.charAt(position) == c;
        }

        private boolean peekAt(int ahead, char c) {
            return position + ahead < text.length() && text.charAt(position + ahead) == c;
        }

        private IllegalArgumentException invalid() {
            return new IllegalArgumentException("expected a fail2ban time such as 600, 10m, 1d12h or 1year-6mo"
                    + " (numbers, units and + - * / only), was '" + original + "'");
        }
    }
}
