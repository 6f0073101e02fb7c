package dev.threadline.agent.it.servlet;

import example.servlet.HelloServlet;
import example.servlet.PassThroughFilter;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * A servlet application without Spring: embedded Tomcat on the port given as argument, serving
 * {@link HelloServlet} behind {@link PassThroughFilter}, until the process is stopped.
 */
public final class ServletScenario {
  private ServletScenario() {}

  public static void main(String[] args) throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("servlet-scenario").toString());
    tomcat.setPort(Integer.parseInt(args[0]));
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    Context context = tomcat.addContext("", null);
    Tomcat.addServlet(context, "hello", new HelloServlet());
    context.addServletMappingDecoded("/*", "hello");
    FilterDef filter = new FilterDef();
    filter.setFilterName("pass-through");
    filter.setFilter(new PassThroughFilter());
    context.addFilterDef(filter);
    FilterMap mapping = new FilterMap();
    mapping.setFilterName("pass-through");
    mapping.addURLPattern("/*");
    context.addFilterMap(mapping);
    tomcat.start();
    tomcat.getServer().await();
  }
}
