package dev.threadline.samples.webshop.load;

/** The load generator's flags. */
record LoadOptions(
    String url,
    String mode,
    int requests,
    int concurrency,
    int rate,
    int maxSeconds,
    boolean failOnError) {

  static LoadOptions parse(String[] args) {
    String url = "http://127.0.0.1:8080/shop/full-test?count=1";
    String mode = "closed";
    int requests = 100;
    int concurrency = 2;
    int rate = 10;
    int maxSeconds = 300;
    boolean failOnError = false;
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
        case "--fail-on-error" -> failOnError = true;
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; options: --url U --mode closed|fixed --requests N --concurrency C --rate R/s --max-seconds S"
                    + " --fail-on-error");
      }
    }
    if (!mode.equals("closed") && !mode.equals("fixed")) {
      throw new IllegalArgumentException("--mode is closed or fixed, not " + mode);
    }
    if (requests < 1 || concurrency < 1 || rate < 1 || maxSeconds < 1) {
      throw new IllegalArgumentException(
          "--requests, --concurrency, --rate and --max-seconds must be positive");
    }
    return new LoadOptions(url, mode, requests, concurrency, rate, maxSeconds, failOnError);
  }
}
