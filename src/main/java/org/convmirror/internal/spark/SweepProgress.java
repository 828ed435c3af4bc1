package org.convmirror.internal.spark;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * One line per finished or failed run of a sweep, as Spark reports its tasks: a sweep can take
 * hours, and a task that failed and will run again (e.g. a killed run that resumes) should say so
 * when it happens, not at the end.
 */
final class SweepProgress extends SparkListener {
  private final List<SweepGrid.Point> points;
  private final PrintStream console;
  private final AtomicInteger done = new AtomicInteger();

  SweepProgress(List<SweepGrid.Point> points, PrintStream console) {
    this.points = points;
    this.console = console;
  }

  /**
   * Waits (a little) for the lines of tasks that ended: Spark delivers these events after the job
   * has returned, and they belong before the sweep's table.
   */
  void awaitFinished(long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (done.get() < points.size() && System.currentTimeMillis() < deadline) Thread.sleep(10);
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    int index = end.taskInfo().index();
    String name = index < points.size() ? points.get(index).name() : "task " + index;
    int attempt = end.taskInfo().attemptNumber() + 1;
    if (end.reason() instanceof TaskFailedReason failed) {
      String why = failed instanceof ExceptionFailure e ? e.description() : failed.toErrorString();
      console.printf(
          "attempt %d of %s failed: %s; Spark runs it again if attempts are left%n",
          attempt, name, why.lines().findFirst().orElse(""));
    } else {
      console.printf(
          "finished %s (%d of %d)%s%n",
          name, done.incrementAndGet(), points.size(), attempt > 1 ? " on attempt " + attempt : "");
    }
  }
}
