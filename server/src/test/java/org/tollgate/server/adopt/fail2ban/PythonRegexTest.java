package org.tollgate.server.adopt.fail2ban;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PythonRegexTest {

    @Test
    void namedGroupsGetJavaNamesAndBackReferencesFollow() {
        PythonRegex regex = PythonRegex.of("(?P<_sep>[-/])x(?P=_sep)(?P<alt_user_1>\\w+)");
        assertThat(regex.groups()).containsEntry("_sep", "g1").containsEntry("alt_user_1", "g2");
        Matcher m = regex.compile().matcher("-x-bob");
        assertThat(m.matches()).isTrue();
        assertThat(m.group(regex.group("alt_user_1"))).isEqualTo("bob");
        assertThat(regex.compile().matcher("-x/bob").matches()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // Python                  | a text it matches whole | one it does not
            "a\\Z                      | a                       | a\\n",
            "a{,2}b                    | aab                     | aaab",
            "a{b                       | a{b                     | ab",
            "x}                        | x}                      | x",
            "[[]x                      | [x                      | x",
            "[]a]+                     | ]a]                     | b",
            "[^]a]                     | b                       | ]",
            "[a&&b]                    | &                       | c",
            "a(?#a comment)b           | ab                      | a b",
            "(?a)\\d+                  | 42                      | x",
            "(?i:AB)c                  | abc                     | abC",
    })
    void pythonSyntaxMeansWhatItMeansInPython(String python, String matching, String other) {
        java.util.regex.Pattern pattern = PythonRegex.of(python.strip()).compile();
        assertThat(pattern.matcher(matching.strip().replace("\\n", "\n")).matches()).as(python).isTrue();
        assertThat(pattern.matcher(other.strip().replace("\\n", "\n")).matches()).as(python).isFalse();
    }

    @Test
    void whatJavaCannotDoIsRefusedWithTheReason() {
        assertThatThrownBy(() -> PythonRegex.of("(?P<x>a)(?(x)b|c)")).hasMessageContaining("conditional groups");
        assertThatThrownBy(() -> PythonRegex.of("(?P<x>a)(?P<x>b)")).hasMessageContaining("used twice");
        assertThatThrownBy(() -> PythonRegex.of("(?P=y)")).hasMessageContaining("no earlier group");
        assertThatThrownBy(() -> PythonRegex.of("[abc")).hasMessageContaining("never closed");
        assertThatThrownBy(() -> PythonRegex.of("(abc").compile()).hasMessageContaining("Unclosed group");
    }
}
