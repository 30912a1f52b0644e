package org.jobstack.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jobstack.auth.DashboardSessions;
import org.jobstack.config.AdminPassphrase;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Signing in to the dashboard with the admin passphrase, and out. */
@Controller
class DashboardLoginController {

    private final AdminPassphrase passphrase;
    private final DashboardSessions sessions;

    DashboardLoginController(AdminPassphrase passphrase, DashboardSessions sessions) {
        this.passphrase = passphrase;
        this.sessions = sessions;
    }

    @GetMapping("/dashboard/login")
    String form() {
        return "dashboard/login";
    }

    @PostMapping("/dashboard/login")
    String login(@RequestParam(defaultValue = "") String passphrase, HttpServletResponse response, Model model) {
        if (!this.passphrase.matches(passphrase)) {
            response.setStatus(401);
            model.addAttribute("failed", true);
            return "dashboard/login";
        }
        response.addHeader("Set-Cookie", DashboardSessions.cookieHeader(sessions.open()));
        return "redirect:/dashboard";
    }

    @PostMapping("/dashboard/logout")
    String logout(HttpServletRequest request, HttpServletResponse response) {
        sessions.close(DashboardSessions.sessionId(request));
        response.addHeader("Set-Cookie", DashboardSessions.cookieHeader(null));
        return "redirect:/dashboard/login";
    }
}
