/* Benchmarks/mock-server/write-stalls.c: how long appending journal-sized lines blocks the appending thread, with
 * write(2) as the mock does (mode 0) or through a shared mapping kept ready ahead by a helper thread (mode 1).
 * The experiment behind BENCHMARKS.md's "journal through a memory mapping" (not part of the product).
 *   gcc -O2 -pthread Benchmarks/mock-server/write-stalls.c -o /tmp/write-stalls
 *   /tmp/write-stalls 0 /path/on/ext4/a.dat 10; /tmp/write-stalls 1 /path/on/ext4/b.dat 10; rm /path/on/ext4/?.dat
 * Rounds of 16 lines of 2,600 bytes with ~400 µs of busy work between rounds (about the mock's 90 MB/s of journal
 * at 35k req/s). Both modes release the page cache behind the last 64 MB as the mock does; mode 1's helper also
 * extends the file, faults the pages ahead in (MADV_POPULATE_WRITE) and unmaps the pages behind. Prints how many
 * appends took over 1 ms and over 5 ms, and the longest. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define MB (1L << 20)
#define CACHE_WINDOW (64 * MB)
#define RELEASE_STEP (16 * MB)

static int fd, mode;
static char *map;
static const long map_size = 64L << 30;
static _Atomic long written, sized, faulted;
static _Atomic int done;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *helper(void *arg) {
  (void)arg;
  long released = 0;
  while (!done) {
    long w = written;
    if (mode == 1) {
      while (sized < w + 32 * MB) {
        if (ftruncate(fd, sized + 8 * MB)) perror("ftruncate");
        sized += 8 * MB;
      }
      while (faulted < w + 24 * MB) {
        if (madvise(map + faulted, MB, MADV_POPULATE_WRITE)) perror("madvise");
        faulted += MB;
      }
    }
    if (w - released >= CACHE_WINDOW + RELEASE_STEP) {
      long from = released > CACHE_WINDOW ? released - CACHE_WINDOW : 0, to = w - CACHE_WINDOW;
      if (mode == 1) {
        sync_file_range(fd, from, to - from, SYNC_FILE_RANGE_WRITE);
        madvise(map + from, to - from, MADV_DONTNEED);
      }
      posix_fadvise(fd, from, to - from, POSIX_FADV_DONTNEED);
      released = to;
    }
    usleep(200);
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s MODE(0=write,1=mapped) FILE SECONDS\n", argv[0]);
    return 2;
  }
  mode = atoi(argv[1]);
  double seconds = atof(argv[3]);
  fd = open(argv[2], O_RDWR | O_CREAT | O_TRUNC | (mode == 0 ? O_APPEND : 0), 0644);
  if (fd < 0) { perror(argv[2]); return 1; }
  if (mode == 1) {
    map = mmap(NULL, map_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) { perror("mmap"); return 1; }
  }
  pthread_t thread;
  pthread_create(&thread, NULL, helper, NULL);
  while (mode == 1 && faulted < 24 * MB) usleep(1000);

  char line[2600];
  memset(line, 'a', sizeof line);
  line[sizeof line - 1] = '\n';
  long lines = 0;
  int over1 = 0, over5 = 0;
  double longest = 0, start = now();
  while (now() - start < seconds) {
    for (int k = 0; k < 16; k++) {
      double t = now();
      if (mode == 0) {
        if (write(fd, line, sizeof line) != (ssize_t)sizeof line) { perror("write"); return 1; }
      } else {
        while (written + (long)sizeof line > faulted) usleep(10);  /* the helper fell behind */
        memcpy(map + written, line, sizeof line);
      }
      written += sizeof line;
      lines++;
      double ms = (now() - t) * 1e3;
      if (ms > longest) longest = ms;
      over1 += ms > 1;
      over5 += ms > 5;
    }
    double busy = now();
    while (now() - busy < 16 * 25e-6) {}
  }
  done = 1;
  pthread_join(thread, NULL);
  if (mode == 1 && ftruncate(fd, written)) perror("ftruncate");
  printf("mode %d: %ld lines, %.0f MB; appends over 1 ms: %d, over 5 ms: %d, longest %.2f ms\n", mode, lines,
         written / 1e6, over1, over5, longest);
  return 0;
}
