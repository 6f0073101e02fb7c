package example.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A plain servlet as an application writes it, outside the agent's own packages (which it never
 * instruments): {@code /boom} throws, every other path answers 200.
 */
public final class HelloServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    if (request.getRequestURI().equals("/boom")) {
      throw new ServletException("boom");
    }
    response.setContentType("text/plain");
    response.getWriter().write("hello");
  }
}
