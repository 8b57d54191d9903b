package org.tollgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.tollgate.normalizer.call.DestinationClass;
import org.tollgate.normalizer.call.NumberingPlan;

/** The numbering: section of tollgate.yaml: the built-in plan without it, every key read, errors with their line. */
class NumberingSectionTest {

    private static NumberingPlan read(String yaml) {
        return TollgateConfig.parse("sources: [{type: stdin}]\n" + yaml, "tollgate.yaml").numbering();
    }

    private static DestinationClass type(NumberingPlan plan, String dialled) {
        return plan.classify(dialled).type();
    }

    @Test
    void withoutTheSectionTheBuiltInPlanIsUsed() {
        assertThat(read("")).isEqualTo(NumberingPlan.defaults());
        assertThat(read("numbering:\n")).isEqualTo(NumberingPlan.defaults());
    }

    @Test
    void aGermanPlanWithAnOutsideLineDigitReadsAsConfigured() {
        NumberingPlan germany = read("""
                numbering:
                  country_code: 49
                  international_prefixes: ["00", "+"]
                  national_prefixes: ["0"]
                  outside_prefixes: ["0"]
                  emergency: [112, 110]
                  short_codes: [116, 118]
                  internal_max_length: 3
                  prefixes:
                    premium: ["0900", "0137", "+979"]
                """);
        // The outside-line 0 comes first: 0 0049… is a German number dialled internationally, national here.
        assertThat(type(germany, "0004930123456")).isEqualTo(DestinationClass.NATIONAL);
        assertThat(type(germany, "0110")).isEqualTo(DestinationClass.EMERGENCY);
        assertThat(type(germany, "001371234567")).as("a configured premium prefix").isEqualTo(DestinationClass.PREMIUM);
        assertThat(type(germany, "00900123456")).as("0 0900…: premium replaced").isEqualTo(DestinationClass.PREMIUM);
        assertThat(type(germany, "00906123456")).as("0906 no longer premium").isEqualTo(DestinationClass.NATIONAL);
        assertThat(type(germany, "1234")).as("4 digits: no longer an extension").isEqualTo(DestinationClass.LOCAL);
        assertThat(type(germany, "123")).isEqualTo(DestinationClass.INTERNAL);
        assertThat(type(germany, "000881612345678")).as("satellite kept from the built-in plan")
                .isEqualTo(DestinationClass.SATELLITE);
        assertThat(germany.classify("00044207946012").number()).isEqualTo("+44207946012");
    }

    @Test
    void aClassNamedUnderPrefixesReplacesItsBuiltInPrefixesAndAnEmptyListDropsThem() {
        NumberingPlan plan = read("""
                numbering:
                  prefixes:
                    satellite: []
                    international: ["+1900"]
                    premium: ["0137"]
                """);
        assertThat(type(plan, "00881612345678")).as("satellite dropped").isEqualTo(DestinationClass.INTERNATIONAL);
        assertThat(type(plan, "0900123456")).as("0900 no longer premium").isEqualTo(DestinationClass.NATIONAL);
        assertThat(type(plan, "01371234567")).isEqualTo(DestinationClass.PREMIUM);
        assertThat(type(plan, "0019005551234")).isEqualTo(DestinationClass.INTERNATIONAL);
        assertThat(NumberingPlan.defaults().classify("0900123456").type()).isEqualTo(DestinationClass.PREMIUM);
    }

    @Test
    void theShippedCommentedSectionReadsWhenTurnedOn() throws Exception {
        String shipped = Files.readString(Path.of("../config/tollgate.yaml"));
        int from = shipped.indexOf("# numbering:");
        int to = shipped.indexOf("\n\n", from);
        String section = shipped.substring(from, to).replaceAll("(?m)^# ", "");
        NumberingPlan plan = read(section + "\n");
        assertThat(plan.countryCode()).isEqualTo("49");
        assertThat(type(plan, "901371234567")).isEqualTo(DestinationClass.PREMIUM);
        assertThat(type(plan, "9110")).isEqualTo(DestinationClass.EMERGENCY);
    }

    @Test
    void everyBadValueIsOneLineNamingTheKeyTheValueAndTheLine() {
        assertThatThrownBy(() -> read("numbering:\n  country: 49\n")).hasMessageStartingWith(
                "numbering.country: unknown key 'country'; allowed keys: country_code, emergency,")
                .hasMessageEndingWith("(tollgate.yaml line 3)");
        assertThatThrownBy(() -> read("numbering:\n  country_code: '0049'\n")).hasMessage("numbering.country_code:"
                + " expected a country code of 1 to 3 digits without prefix (49, 1, 44), was '0049' (tollgate.yaml line 3)");
        assertThatThrownBy(() -> read("numbering:\n  international_prefixes: [\"00\", \"++\"]\n")).hasMessage(
                "numbering.international_prefixes[1]: expected '+' or 1 to 4 digits (00, 011), was '++'"
                        + " (tollgate.yaml line 3)");
        assertThatThrownBy(() -> read("numbering:\n  emergency: [112, 'nine one one']\n")).hasMessage(
                "numbering.emergency[1]: expected a number of 2 to 6 digits (112, 911), was 'nine one one'"
                        + " (tollgate.yaml line 3)");
        assertThatThrownBy(() -> read("numbering:\n  internal_max_length: 20\n")).hasMessage(
                "numbering.internal_max_length: expected a whole number from 0 to 15, was '20' (tollgate.yaml line 3)");
        assertThatThrownBy(() -> read("numbering:\n  prefixes:\n    expensive: ['0900']\n")).hasMessageStartingWith(
                "numbering.prefixes.expensive: unknown key 'expensive'; allowed keys: emergency, international,")
                .hasMessageEndingWith("(tollgate.yaml line 4)");
        assertThatThrownBy(() -> read("numbering:\n  prefixes:\n    premium: ['09-00']\n")).hasMessage(
                "numbering.prefixes.premium[0]: expected a prefix of 1 to 8 digits, '+' first for a number dialled"
                        + " internationally (+881, 0900), was '09-00' (tollgate.yaml line 4)");
        assertThatThrownBy(() -> read("numbering:\n  prefixes:\n    premium: ['0900']\n    local: ['0900']\n"))
                .hasMessage("numbering.prefixes.local[0]: the prefix '0900' is already given on line 4"
                        + " (tollgate.yaml line 5)");
    }
}
