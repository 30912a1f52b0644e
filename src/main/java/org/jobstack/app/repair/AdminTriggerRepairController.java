package org.jobstack.app.repair;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jobstack.instance.InstanceService;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/** Admin API: the stack's service-trigger fixer (§7.8) and a read-only check of an instance's triggers. */
@RestController
class AdminTriggerRepairController {

    private final InstanceService instances;
    private final ServiceTriggerFixer fixer;
    private final TriggerChecker checker;

    AdminTriggerRepairController(InstanceService instances, ServiceTriggerFixer fixer, TriggerChecker checker) {
        this.instances = instances;
        this.fixer = fixer;
        this.checker = checker;
    }

    @PostMapping("/instances/{domain}/fixers/service-triggers")
    Map<String, Object> fix(@PathVariable String domain) {
        ServiceTriggerFixer.Report report = fixer.fix(instances.get(domain).domain());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Domain", report.domain());
        answer.put("RecreatedTriggersCount", report.recreated());
        answer.put("UpdatedTriggersCount", report.updated());
        answer.put("DeletedTriggersCount", report.deleted());
        return answer;
    }

    @RequestMapping(
            value = "/instances/{domain}/checks/triggers",
            method = {RequestMethod.GET, RequestMethod.POST})
    List<TriggerChecker.Finding> check(@PathVariable String domain) {
        return checker.check(instances.get(domain).domain());
    }
}
