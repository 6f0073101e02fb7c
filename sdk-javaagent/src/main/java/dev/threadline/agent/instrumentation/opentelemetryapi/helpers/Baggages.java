package dev.threadline.agent.instrumentation.opentelemetryapi.helpers;

import application.io.opentelemetry.api.baggage.Baggage;
import application.io.opentelemetry.api.baggage.BaggageBuilder;
import application.io.opentelemetry.api.baggage.BaggageEntryMetadata;

/** Baggage copied between the application's API and the agent's, entry by entry. */
final class Baggages {
  private Baggages() {}

  static Baggage toApplication(io.opentelemetry.api.baggage.Baggage agent) {
    if (agent.isEmpty()) {
      return Baggage.empty();
    }
    BaggageBuilder builder = Baggage.builder();
    agent.forEach(
        (key, entry) ->
            builder.put(
                key,
                entry.getValue(),
                BaggageEntryMetadata.create(entry.getMetadata().getValue())));
    return builder.build();
  }

  static io.opentelemetry.api.baggage.Baggage toAgent(Baggage application) {
    if (application == null || application.isEmpty()) {
      return io.opentelemetry.api.baggage.Baggage.empty();
    }
    io.opentelemetry.api.baggage.BaggageBuilder builder =
        io.opentelemetry.api.baggage.Baggage.builder();
    application.forEach(
        (key, entry) ->
            builder.put(
                key,
                entry.getValue(),
                io.opentelemetry.api.baggage.BaggageEntryMetadata.create(
                    entry.getMetadata().getValue())));
    return builder.build();
  }
}
