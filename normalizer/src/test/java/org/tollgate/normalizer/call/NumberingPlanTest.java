package org.tollgate.normalizer.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NumberingPlanTest {

    private final NumberingPlan defaults = NumberingPlan.defaults();

    @ParameterizedTest(name = "{0} is {1} ({2})")
    @CsvSource({
        "0044207946012, international, +44207946012",
        "011442079460123, international, +442079460123",
        "+972592345678, international, +972592345678",
        "00881612345678, satellite, +881612345678",
        "+8707761234567, satellite, +8707761234567",
        "0088216123456, satellite, +88216123456",
        "00979123456789, premium, +979123456789",
        "0900123456, premium, 0900123456",
        "19005551234, premium, 19005551234",
        "030123456, national, 030123456",
        "5551234, local, 5551234",
        "112, emergency, 112",
        "911, emergency, 911",
        "118118, short-code, 118118",
        "*97, short-code, *97",
        "1002, internal, 1002",
        "s, unknown, s",
        "alice, unknown, alice",
        "00, internal, 00",
        "+, unknown, +",
    })
    void defaultsRead(String dialled, String type, String number) {
        NumberingPlan.Destination destination = defaults.classify(dialled);
        assertThat(destination.type().id()).isEqualTo(type);
        assertThat(destination.number()).isEqualTo(number);
    }

    @Test
    void theOwnCountryIsNationalAndItsPremiumRangesArePremium() {
        NumberingPlan germany = new NumberingPlan(List.of("00", "+"), List.of("0"), "49", List.of(), Set.of("112", "110"),
                List.of(), 4, NumberingPlan.defaultPrefixes());
        assertThat(germany.classify("004930123456").type()).isEqualTo(DestinationClass.NATIONAL);
        assertThat(germany.classify("+4930123456").number()).isEqualTo("+4930123456");
        assertThat(germany.classify("+49900123456").type()).isEqualTo(DestinationClass.PREMIUM);
        assertThat(germany.classify("0044207946012").type()).isEqualTo(DestinationClass.INTERNATIONAL);
    }

    @Test
    void anOutsideLinePrefixIsNotPartOfTheNumber() {
        NumberingPlan nanp = new NumberingPlan(List.of("011"), List.of("1"), "1", List.of("9"), Set.of("911"),
                List.of(), 4, NumberingPlan.defaultPrefixes());
        assertThat(nanp.classify("9011441632960123")).isEqualTo(
                new NumberingPlan.Destination("+441632960123", DestinationClass.INTERNATIONAL));
        assertThat(nanp.classify("9911").type()).isEqualTo(DestinationClass.EMERGENCY);
        assertThat(nanp.classify("911").type()).isEqualTo(DestinationClass.EMERGENCY);
        assertThat(nanp.classify("912125551234").type()).isEqualTo(DestinationClass.NATIONAL);
        assertThat(nanp.classify("919005551234").type()).isEqualTo(DestinationClass.PREMIUM);
    }

    @Test
    void theLongestPrefixWins() {
        Map<String, DestinationClass> prefixes = new LinkedHashMap<>(NumberingPlan.defaultPrefixes());
        prefixes.put("+88", DestinationClass.INTERNATIONAL);
        prefixes.put("+252", DestinationClass.PREMIUM);
        NumberingPlan plan = new NumberingPlan(List.of("00"), List.of("0"), null, List.of(), Set.of(), List.of(), 5,
                prefixes);
        assertThat(plan.classify("0088612345678").type()).isEqualTo(DestinationClass.INTERNATIONAL);
        assertThat(plan.classify("00881612345678").type()).isEqualTo(DestinationClass.SATELLITE);
        assertThat(plan.classify("00252612345678").type()).isEqualTo(DestinationClass.PREMIUM);
    }

    @Test
    void aBadCountryCodeIsRefused() {
        assertThatThrownBy(() -> new NumberingPlan(List.of("00"), List.of("0"), "0049", List.of(), Set.of(), List.of(),
                5, Map.of())).hasMessageContaining("country code");
    }
}
