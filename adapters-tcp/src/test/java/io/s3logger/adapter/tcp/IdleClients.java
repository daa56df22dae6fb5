package io.s3logger.adapter.tcp;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Load generator run as a child process by {@link LoadShapesTest}: opens N connections to
 * host:port that send nothing, prints {@code connected <count>[ <error>]}, and holds them until its
 * standard input ends. A separate process, so the test JVM needs descriptors only for the server
 * ends (one process holding both ends of 10,000 connections would need 20,000+).
 */
public final class IdleClients {

    private IdleClients() {}

    public static void main(String[] args) throws IOException {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        List<Socket> sockets = new ArrayList<>(count);
        String error = "";
        try {
            while (sockets.size() < count) {
                sockets.add(new Socket(host, port));
            }
        } catch (IOException e) {
            error = " " + e;
        }
        System.out.println("connected " + sockets.size() + error);
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold the connections until the test closes our input
        }
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
