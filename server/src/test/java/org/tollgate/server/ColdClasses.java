package org.tollgate.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * A flight recording of the classes defined (lambdas and method-handle classes spun included) while it runs, for a
 * {@link FreshJvm} probe: {@link #print} writes them as {@code COLD <thread> <class>}, one per line.
 */
public final class ColdClasses {

    private final Recording recording = new Recording();

    public ColdClasses() {
        recording.enable("jdk.ClassLoad").withoutThreshold();
        recording.enable("jdk.ClassDefine");
        recording.start();
    }

    /** Stops recording and prints each class loaded or defined on a thread whose name {@code threads} accepts. */
    public void print(Predicate<String> threads) throws IOException {
        recording.stop();
        Path file = Files.createTempFile("cold-classes", ".jfr");
        try {
            recording.dump(file);
            recording.close();
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                String thread = event.getThread() == null ? "" : event.getThread().getJavaName();
                boolean load = event.getEventType().getName().equals("jdk.ClassLoad");
                String name = event.getClass(load ? "loadedClass" : "definedClass").getName();
                // A load of a class defined before (another loader asking) costs next to nothing: only a definition
                // counts, and a hidden class (a lambda's, a method handle's), which is reported as a load only.
                if (threads.test(thread) && (!load || name.contains("+0x") || name.contains("/0x"))) {
                    System.out.println("COLD " + thread + " " + name);
                }
            }
        } finally {
            Files.delete(file);
        }
    }
}
