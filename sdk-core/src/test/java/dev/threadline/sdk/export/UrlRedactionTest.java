package dev.threadline.sdk.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlRedactionTest {
  private final UrlRedaction redaction = UrlRedaction.defaults();

  /** The names the issue and the docs promise. */
  private static final List<String> PROMISED =
      List.of(
          "token",
          "access_token",
          "api_key",
          "apikey",
          "key",
          "password",
          "passwd",
          "secret",
          "signature",
          "sig",
          "auth",
          "session",
          "jwt",
          "AWSAccessKeyId",
          "X-Amz-Signature",
          "X-Amz-Credential",
          "X-Amz-Security-Token",
          "GoogleAccessId",
          "X-Goog-Signature",
          "X-Goog-Credential");

  /** Each promised name in three spellings. */
  static Stream<String> defaultNames() {
    return PROMISED.stream()
        .flatMap(
            name ->
                Stream.of(name, name.toUpperCase(Locale.ROOT), name.toLowerCase(Locale.ROOT))
                    .distinct());
  }

  @ParameterizedTest
  @MethodSource("defaultNames")
  void everyDefaultNameIsRedactedInEveryForm(String name) {
    assertThat(redaction.redactQuery("q=shoes&" + name + "=s3cr3t&page=2"))
        .isEqualTo("q=shoes&" + name + "=REDACTED&page=2");
    assertThat(redaction.redactTarget("/search?" + name + "=s3cr3t"))
        .isEqualTo("/search?" + name + "=REDACTED");
    assertThat(redaction.redactUrl("https://shop.example/search?" + name + "=s3cr3t#top"))
        .isEqualTo("https://shop.example/search?" + name + "=REDACTED#top");
  }

  @Test
  void theDefaultListIsExactlyTheDocumentedOne() {
    assertThat(UrlRedaction.DEFAULT_PARAMETERS).containsExactlyElementsOf(PROMISED);
    assertThat(UrlRedaction.defaults().parameters()).containsExactlyElementsOf(PROMISED);
  }

  @Test
  void theIssuesExampleLeavesNoSecret() {
    String url =
        "https://user:pw@shop.example:8443/login?access_token=at-1&api_key=ak-2&password=pw-3&lang=en";
    assertThat(redaction.redactUrl(url))
        .isEqualTo(
            "https://shop.example:8443/login?access_token=REDACTED&api_key=REDACTED"
                + "&password=REDACTED&lang=en");
  }

  @Test
  void userinfoIsRemovedEntirely() {
    assertThat(redaction.redactUrl("https://user:pw@host/")).isEqualTo("https://host/");
    assertThat(redaction.redactUrl("http://user@host")).isEqualTo("http://host");
    assertThat(redaction.redactUrl("http://a:b@c@host:80/x")).isEqualTo("http://host:80/x");
    assertThat(redaction.redactUrl("//user:pw@host/p")).isEqualTo("//host/p");
    // An @ in the path or query is not userinfo.
    String atInPath = "https://host/u/@me?to=a@b";
    assertThat(redaction.redactUrl(atInPath)).isSameAs(atInPath);
    // A proxy's absolute-form request target.
    assertThat(redaction.redactTarget("http://u:p@upstream/x?token=t"))
        .isEqualTo("http://upstream/x?token=REDACTED");
  }

  @Test
  void encodedNamesMatchAfterDecoding() {
    assertThat(redaction.redactQuery("%74oken=t")).isEqualTo("%74oken=REDACTED");
    assertThat(redaction.redactQuery("access%5Ftoken=t")).isEqualTo("access%5Ftoken=REDACTED");
    assertThat(redaction.redactQuery("X%2DAmz%2dSignature=abc"))
        .isEqualTo("X%2DAmz%2dSignature=REDACTED");
    // '+' is a space: "api+key" is "api key", not a listed name; "api_key" with a + value is.
    assertThat(redaction.redactQuery("api+key=v")).isEqualTo("api+key=v");
    assertThat(UrlRedaction.of(List.of("api key")).redactQuery("api+key=v&api%20key=w"))
        .isEqualTo("api+key=REDACTED&api%20key=REDACTED");
    // The value's encoding is irrelevant: it is replaced whole.
    assertThat(redaction.redactQuery("token=a%20b+c%zz")).isEqualTo("token=REDACTED");
  }

  @Test
  void fragmentsAreKeptAndTheirListedParametersRedacted() {
    assertThat(redaction.redactUrl("https://host/p?token=t#section-2"))
        .isEqualTo("https://host/p?token=REDACTED#section-2");
    assertThat(redaction.redactUrl("https://app/cb#access_token=at&state=xyz"))
        .isEqualTo("https://app/cb#access_token=REDACTED&state=xyz");
    // A ? inside the fragment is not a query.
    String fragmentOnly = "https://host/p#a?b=c";
    assertThat(redaction.redactUrl(fragmentOnly)).isSameAs(fragmentOnly);
    // url.query has no fragment: a # is part of the value.
    assertThat(redaction.redactQuery("token=a#b&x=1")).isEqualTo("token=REDACTED&x=1");
  }

  @Test
  void onlyNamesMatchNotValuesOrParts() {
    String query = "q=token&monkey=1&tokens=2&x_token=3&keyboard=4";
    assertThat(redaction.redactQuery(query)).isSameAs(query);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "?",
        "/",
        "/plain/path",
        "/p?q=1&page=2",
        "/p?token",
        "/p?token=",
        "/p?=token",
        "/p?token=REDACTED",
        "https://host/p?q=1",
        "https://host",
        "http://",
        "mailto:user@host?subject=hi",
        "no scheme at all",
        "&&&===",
        "%",
        "%%%",
        "https://host/p?q=1&&&key"
      })
  void nothingToRedactReturnsTheSameString(String text) {
    assertThat(redaction.redactUrl(text)).isSameAs(text);
    assertThat(redaction.redactTarget(text)).isSameAs(text);
  }

  @Test
  void queriesWithNothingToRedactAreReturnedAsThemselves() {
    for (String query : List.of("", "q=1", "token", "token=", "token=REDACTED", "=x", "a=b=c")) {
      assertThat(redaction.redactQuery(query)).isSameAs(query);
    }
  }

  @Test
  void redactionIsIdempotent() {
    String once = redaction.redactUrl("https://u:p@h/x?token=1&sig=2#jwt=3");
    assertThat(redaction.redactUrl(once)).isSameAs(once);
  }

  @Test
  void malformedInputNeverThrowsAndNeverLeaksAListedValue() {
    assertThat(redaction.redactQuery("token=%")).isEqualTo("token=REDACTED");
    assertThat(redaction.redactQuery("%zztoken=1&%=2&%e2%82=3&token=4"))
        .isEqualTo("%zztoken=1&%=2&%e2%82=3&token=REDACTED");
    assertThat(redaction.redactQuery("token==x")).isEqualTo("token=REDACTED");
    assertThat(redaction.redactQuery("&token=x&")).isEqualTo("&token=REDACTED&");
    assertThat(redaction.redactUrl("https://h/p??token=x"))
        .isEqualTo("https://h/p??token=REDACTED");
    assertThat(redaction.redactUrl("https://h/p?a=1?token=x&token=y"))
        .isEqualTo("https://h/p?a=1?token=REDACTED&token=REDACTED");
    assertThat(redaction.redactQuery("next=/cart?token=t&x=1"))
        .isEqualTo("next=/cart?token=REDACTED&x=1");
    assertThat(redaction.redactUrl(null)).isNull();
    assertThat(redaction.redactTarget(null)).isNull();
    assertThat(redaction.redactQuery(null)).isNull();

    Random random = new Random(15);
    String alphabet = "aAtokenTOKEN=&?#%+@:/2fF ";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(40);
      for (int j = 0; j < length; j++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String input = text.toString();
      redaction.redactUrl(input);
      redaction.redactTarget(input);
      redaction.redactQuery(input);
      String secret = "S3CRET" + i;
      assertThat(redaction.redactQuery(input + "&token=" + secret)).doesNotContain(secret);
    }
  }

  @Test
  void aConfiguredListReplacesTheDefaults() {
    UrlRedaction custom = UrlRedaction.parse(" otp , Ticket ,,");
    assertThat(custom.parameters()).containsExactly("otp", "Ticket");
    assertThat(custom.redactQuery("otp=1&ticket=2&token=3"))
        .isEqualTo("otp=REDACTED&ticket=REDACTED&token=3");
    assertThat(UrlRedaction.parse(null)).isSameAs(UrlRedaction.defaults());
    assertThat(UrlRedaction.parse("  ")).isSameAs(UrlRedaction.defaults());
    assertThat(UrlRedaction.parse(" , ,")).isSameAs(UrlRedaction.defaults());
    // With no names, userinfo is still removed.
    UrlRedaction none = UrlRedaction.of(List.of());
    assertThat(none.redactUrl("https://u:p@h/?token=1")).isEqualTo("https://h/?token=1");
  }
}
