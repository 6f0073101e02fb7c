package dev.threadline.agent.bootstrap.springwebmvc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControllerSpansTest {

  static final class ItemController {}

  static final class OrderController {}

  @Test
  void spanNameIsTheControllersSimpleNameAndTheMethodMadeOnce() {
    String name = ControllerSpans.spanName(ItemController.class, "item");

    assertThat(name).isEqualTo("ItemController.item");
    assertThat(ControllerSpans.spanName(ItemController.class, new String("item"))).isSameAs(name);
    assertThat(ControllerSpans.spanName(ItemController.class, "items"))
        .isEqualTo("ItemController.items");
    assertThat(ControllerSpans.spanName(OrderController.class, "item"))
        .isEqualTo("OrderController.item");
  }
}
