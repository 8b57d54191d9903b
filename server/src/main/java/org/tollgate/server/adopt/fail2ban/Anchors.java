package org.tollgate.server.adopt.fail2ban;

/**
 * Whether a Java regular expression can only match at the start of the input: it starts with {@code ^} (after inline
 * flags) and has no {@code |} outside groups and character classes. Java's {@code find()} tries such an expression
 * at every position of the line and fails at each but the first; {@code lookingAt()} tries the first alone, with the
 * same result.
 */
final class Anchors {

    private Anchors() {
    }

    static boolean atStart(String regex) {
        int i = 0;
        if (regex.startsWith("(?")) {
            int close = regex.indexOf(')');
            if (close < 0 || !regex.substring(2, close).chars().allMatch(Character::isLetter)) {
                return false;
            }
            i = close + 1;
        }
        if (i >= regex.length() || regex.charAt(i) != '^') {
            return false;
        }
        int depth = 0;
        boolean inClass = false;
        for (int j = i + 1; j < regex.length(); j++) {
            char c = regex.charAt(j);
            if (c == '\\') {
                j++;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
                if (j + 1 < regex.length() && regex.charAt(j + 1) == '^') {
                    j++;
                }
                if (j + 1 < regex.length() && regex.charAt(j + 1) == ']') {
                    j++;
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                return false;
            }
        }
        return true;
    }
}
