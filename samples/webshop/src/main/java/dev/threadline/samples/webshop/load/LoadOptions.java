package dev.threadline.samples.webshop.load;

/** The load generator's flags. */
record LoadOptions(
    String url,
    String mode,
    int requests,
    int concurrency,
    int rate,
    int maxSeconds,
    boolean failOnError,
    String marker,
    int warmupSeconds) {

  /**
   * The same load for {@code --warmup-seconds}, run first and not reported: the generator's own JIT
   * and connection set-up would otherwise land in the measured latencies.
   */
  LoadOptions warmup() {
    int warmupRequests = mode.equals("fixed") ? rate * warmupSeconds : Integer.MAX_VALUE;
    return new LoadOptions(
        url,
        mode,
        Math.max(1, warmupRequests),
        concurrency,
        rate,
        warmupSeconds,
        failOnError,
        null,
        0);
  }

  /** The URL of the {@code n}th request: with {@code marker=PREFIX-n} when a marker is set. */
  String url(int n) {
    if (marker == null) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + "marker=" + marker + "-" + n;
  }

  static LoadOptions parse(String[] args) {
    String url = "http://127.0.0.1:8080/shop/full-test?count=1";
    String mode = "closed";
    int requests = 100;
    int concurrency = 2;
    int rate = 10;
    int maxSeconds = 300;
    boolean failOnError = false;
    String marker = null;
    int warmupSeconds = 0;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--url" -> {
          url = value;
          i++;
        }
        case "--mode" -> {
          mode = value;
          i++;
        }
        case "--requests" -> {
          requests = Integer.parseInt(value);
          i++;
        }
        case "--concurrency" -> {
          concurrency = Integer.parseInt(value);
          i++;
        }
        case "--rate" -> {
          rate = Integer.parseInt(value);
          i++;
        }
        case "--max-seconds" -> {
          maxSeconds = Integer.parseInt(value);
          i++;
        }
        case "--marker" -> {
          marker = value;
          i++;
        }
        case "--warmup-seconds" -> {
          warmupSeconds = Integer.parseInt(value);
          i++;
        }
        case "--fail-on-error" -> failOnError = true;
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; options: --url U --mode closed|fixed --requests N --concurrency C --rate R/s --max-seconds S"
                    + " --warmup-seconds W --marker PREFIX --fail-on-error");
      }
    }
    if (!mode.equals("closed") && !mode.equals("fixed")) {
      throw new IllegalArgumentException("--mode is closed or fixed, not " + mode);
    }
    if (requests < 1 || concurrency < 1 || rate < 1 || maxSeconds < 1 || warmupSeconds < 0) {
      throw new IllegalArgumentException(
          "--requests, --concurrency, --rate and --max-seconds must be positive, --warmup-seconds"
              + " at least 0");
    }
    if (marker != null && !marker.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("--marker is letters, digits, '_', '.' or '-'");
    }
    return new LoadOptions(
        url, mode, requests, concurrency, rate, maxSeconds, failOnError, marker, warmupSeconds);
  }
}
