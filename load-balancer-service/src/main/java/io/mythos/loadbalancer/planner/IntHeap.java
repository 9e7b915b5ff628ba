package io.mythos.loadbalancer.planner;

import java.util.Arrays;

/** A binary heap of ints (codex indices) without boxing: the planner's queue of codices to place. */
final class IntHeap {

    /** Orders two indices; negative when the first comes out first. */
    @FunctionalInterface
    interface Order {
        int compare(int x, int y);
    }

    private final Order order;
    private int[] items = new int[64];
    private int size;

    IntHeap(Order order) {
        this.order = order;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(int x) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (order.compare(x, items[parent]) >= 0) {
                break;
            }
            items[i] = items[parent];
            i = parent;
        }
        items[i] = x;
    }

    int poll() {
        int top = items[0];
        int last = items[--size];
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && order.compare(items[child + 1], items[child]) < 0) {
                child++;
            }
            if (order.compare(last, items[child]) <= 0) {
                break;
            }
            items[i] = items[child];
            i = child;
        }
        if (size > 0) {
            items[i] = last;
        }
        return top;
    }
}
